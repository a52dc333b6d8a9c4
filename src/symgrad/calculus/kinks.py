"""Derivatives at kinks and jumps: abs, relu, max, min, sign, floor, ceiling and atan2 switch branch.

SymPy differentiates them into sign, Heaviside and DiracDelta, whose values at the switch point are
conventions (Heaviside(0) = 1/2, sign(0) = 0), not derivatives: relu′(0) would print as 1/2 and
|x|′(0) as 0. Here a derivative at a point is taken as a limit instead. Each non-smooth piece is
replaced by the branch it takes just left (or just right) of the point along the variable, which
leaves a smooth expression whose value at the point is the one-sided limit. The derivative exists
when the function is continuous there and both one-sided limits of the derivative agree.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> derivative_at(x * abs(x), [x], {x: sympy.Integer(0)})
Value(exact=0, numeric=0.0)
>>> derivative_at(abs(x), [x], {x: sympy.Integer(0)})
Traceback (most recent call last):
    ...
symgrad.errors.NotDifferentiableError: not differentiable at x=0: f′ is -1 from the left and 1 from the right
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import sympy

from symgrad import calculus
from symgrad.calculus.values import Value, evaluate
from symgrad.errors import NotDifferentiableError, SymgradError, UndefinedValueError
from symgrad.expression.functions import real_cbrt
from symgrad.expression.points import format_point
from symgrad.expression.printing import superscript, to_text

# How far beside the point a branch is read: far below any difference floats could show.
_NUDGE_DIGITS = 40


def nonsmooth() -> tuple:
    """The SymPy classes whose value switches branch at a point (kinks, jumps, a branch cut)."""
    return (
        sympy.Abs,
        sympy.sign,
        sympy.Heaviside,
        sympy.Max,
        sympy.Min,
        sympy.floor,
        sympy.ceiling,
        sympy.DiracDelta,
        sympy.atan2,
    )


def derivative_at(expr, path: Sequence, point: dict, derivative=None, *, bounded: bool = False) -> Value:
    """The derivative of ``expr`` by the symbols of ``path`` (in order) at ``point``.

    ``derivative`` is that derivative when the caller has it already. Raises UndefinedValueError,
    saying where and why, when the derivative does not exist there. ``bounded``: a long exact value
    is left out (see ``evaluate``) where the expression is smooth.
    """
    if derivative is None:
        derivative = calculus.derivative(expr, path)
    if not (path and expr.has(*nonsmooth())):
        return derivatives_at(expr, [path], point, [derivative], bounded=bounded)[0]
    # The one-sided analysis compares exact values. The derivative's own value at the point is not
    # read: at a kink it is SymPy's convention (sign(0) = 0), and at a jump it has none.
    value = _value_of_f(expr, point, bounded=False)
    lower = expr
    for k, symbol in enumerate(path, 1):
        upper = derivative if k == len(path) else calculus.derivative(lower, [symbol])
        try:
            left_f, right_f = (_one_sided(lower, symbol, point, side) for side in (-1, 1))
            left, right = (_one_sided(upper, symbol, point, side) for side in (-1, 1))
        except UndefinedValueError:
            # A side lies outside the domain (the edge of sqrt or log): no two-sided limit to take.
            return evaluate(derivative, point)
        along = f" along {symbol}" if len(point) > 1 else ""
        where = format_point(point)
        if not (_same(left_f.exact, value.exact) and _same(right_f.exact, value.exact)):
            label = _label(path[: k - 1], point)
            if _same(left_f.exact, right_f.exact):  # a single point out of line: atan2(-y**2, -1)
                raise NotDifferentiableError(
                    f"not differentiable at {where}: {label} is {_text(left_f)} on both sides{along} "
                    f"but {_text(value)} at the point"
                )
            raise NotDifferentiableError(
                f"not differentiable at {where}: {label} jumps there "
                f"({_text(left_f)} from the left, {_text(right_f)} from the right{along})"
            )
        if k > 1 and symbol != path[k - 2]:
            _exists_beside(lower, path[: k - 1], symbol, point)
        if not _same(left.exact, right.exact):
            raise NotDifferentiableError(
                f"not differentiable at {where}: {_label(path[:k], point)} is {_text(left)} from the "
                f"left and {_text(right)} from the right{along}"
            )
        lower, value = upper, left
    return value


def derivatives_at(
    expr, paths: Sequence, point: dict, derivatives: Sequence, *, bounded: bool = False
) -> tuple:
    """``derivative_at`` for each path in ``paths`` with its derivative in ``derivatives``, in order.

    Where f is smooth, f is evaluated once and each distinct derivative once: the n² entries of a
    Hessian then cost the size of its entries (mostly a few constants), not n² substitutions into f.
    """
    if any(paths) and expr.has(*nonsmooth()):
        return tuple(
            derivative_at(expr, path, point, derivative, bounded=bounded)
            for path, derivative in zip(paths, derivatives)
        )
    value = _value_of_f(expr, point, bounded=bounded)
    known = {}  # derivative -> its Value, or the UndefinedValueError it raised
    values = []
    for path, derivative in zip(paths, derivatives):
        if derivative not in known:
            try:
                known[derivative] = evaluate(derivative, point, bounded=bounded)
            except UndefinedValueError as error:
                known[derivative] = error
        naive = known[derivative]
        if isinstance(naive, UndefinedValueError):
            if value.exact is None:
                value = evaluate(expr, point)
            naive = _removable(expr, path, point, derivative, value)  # depends on the path
            if naive is None:
                raise known[derivative]
        values.append(naive)
    return tuple(values)


def _value_of_f(expr, point: dict, *, bounded: bool) -> Value:
    try:
        return evaluate(expr, point, bounded=bounded)
    except UndefinedValueError as error:  # log(x) at x = -1: 1/x has a value there, f has none
        raise UndefinedValueError(f"no derivative where f itself has no value: {error}") from None


def _removable(expr, path: Sequence, point: dict, derivative, value: Value) -> Value | None:
    """The derivative as a limit where its formula has no value but the limit exists: at 0, the
    derivative of x*cbrt(x), 4*x/(3*cbrt(x)**2), is 0. None when the limits differ or are infinite.

    Sound because f (or the lower derivative) is continuous there: then the derivative at the
    point equals the common limit of the derivative beside it (by the mean value theorem).
    """
    symbol = path[-1]
    if len(path) > 1:
        value = derivative_at(expr, path[:-1], point)
    lower = calculus.derivative(expr, path[:-1]) if len(path) > 1 else expr
    others = {v: c for v, c in point.items() if v != symbol}

    def along(e):  # cbrt in its real form, which limits understand; the other variables fixed
        real = e.replace(
            lambda n: isinstance(n, real_cbrt()),
            lambda n: sympy.sign(n.args[0]) * sympy.Abs(n.args[0]) ** sympy.Rational(1, 3),
        )
        return real.xreplace(others)

    try:
        ends = [
            sympy.limit(along(e), symbol, point[symbol], side) for e in (derivative, lower) for side in "-+"
        ]
    except SymgradError:
        raise
    except Exception:  # noqa: BLE001 - limit raises many kinds (PoleError, NotImplementedError...)
        return None
    if not all(end.is_real and end.is_finite for end in ends):
        return None
    left, right, lower_left, lower_right = ends
    if not (_same(left, right) and _same(lower_left, value.exact) and _same(lower_right, value.exact)):
        return None
    return evaluate(left, {})


def _exists_beside(lower, lower_path: Sequence, symbol, point: dict) -> None:
    """For a mixed partial, by ``symbol`` after ``lower_path``: the lower derivative must exist on
    both sides of the point along ``symbol``, not only at it. ∂f/∂x of relu(x*y) exists at (0, 0)
    but nowhere else on the line x = 0, so ∂²f/∂x∂y has nothing to differentiate there.

    Beside the point its one-sided values differ by amounts that vanish with the distance ε (0 and
    ε for relu(x*y)), so they are compared as expressions in ε, not as numbers.
    """
    axis = lower_path[-1]
    nudge = sympy.Rational(1, 10**_NUDGE_DIGITS)
    # Far smaller along the axis than along symbol, so that the two nudges never cancel on a kink
    # through the point: by equal nudges, (1, 1) + (ν, ν) lies on the kink of |x − y| again.
    axis_nudge = nudge**2
    epsilon = sympy.Dummy("epsilon", positive=True)
    for side in (-1, 1):
        at = {**point, symbol: point[symbol] + side * epsilon}
        values = []
        for s in (-1, 1):
            beside = {**point, symbol: point[symbol] + side * nudge}
            beside[axis] = beside[axis] + s * axis_nudge
            values.append(branches(lower, beside).xreplace(at))
        if sympy.expand(values[0] - values[1]) != 0:
            raise NotDifferentiableError(
                f"not differentiable at {format_point(point)}: {_label(lower_path, point)} does not "
                f"exist just beside it along {symbol} (its one-sided values along {axis} differ there)"
            )


def _one_sided(expr, symbol, point: dict, side: int) -> Value:
    """The limit of ``expr`` at ``point`` as ``symbol`` comes from the left (-1) or the right (+1)."""
    if not expr.has(*nonsmooth()):
        return evaluate(expr, point)
    beside = dict(point)
    beside[symbol] = point[symbol] + side * sympy.Rational(1, 10**_NUDGE_DIGITS)
    return evaluate(branches(expr, beside), point)


def branches(expr, beside: dict):
    """``expr`` with each non-smooth piece replaced by the smooth branch it takes at ``beside``."""

    def there(e):
        return e.xreplace(beside).evalf(2 * _NUDGE_DIGITS)

    def branch(e):
        if isinstance(e, sympy.Abs):
            return sympy.sign(there(e.args[0])) * e.args[0]
        if isinstance(e, sympy.sign):
            return sympy.sign(there(e.args[0]))
        if isinstance(e, sympy.Heaviside):
            where = there(e.args[0])
            return e if where == 0 else sympy.Integer(1 if where > 0 else 0)
        if isinstance(e, (sympy.Max, sympy.Min)):
            values = [there(a) for a in e.args]
            pick = max if isinstance(e, sympy.Max) else min
            return e.args[values.index(pick(values))]
        if isinstance(e, (sympy.floor, sympy.ceiling)):
            return type(e)(there(e.args[0]))
        if isinstance(e, sympy.atan2):  # jumps from π to -π across y = 0 where x < 0
            y, x = e.args
            x_there, y_there = there(x), there(y)
            if x_there > 0:
                return sympy.atan(y / x)
            if x_there < 0:
                return sympy.atan(y / x) + (sympy.pi if y_there >= 0 else -sympy.pi)
            return e
        if isinstance(e, sympy.DiracDelta):
            return e if there(e.args[0]) == 0 else sympy.Integer(0)
        return e

    return expr.replace(lambda e: isinstance(e, nonsmooth()), branch)


def _same(a, b) -> bool:
    difference = (a - b).evalf(30)
    return difference == 0 or abs(difference) <= 1e-25 * max(1, abs(a.evalf(30)), abs(b.evalf(30)))


def _text(value: Value) -> str:
    return to_text(value.exact)


def _label(path: Sequence, point: dict) -> str:
    """f, f′, f″ (one variable) or ∂f/∂x, ∂²f/∂x², ∂²f/∂x∂y (several): the derivative along ``path``."""
    n = len(path)
    if n == 0:
        return "f"
    if len(point) == 1:
        return "f" + ("′", "″", "‴")[n - 1] if n <= 3 else f"f⁽{superscript(n)}⁾"
    by = "".join(f"∂{s}{superscript(len(list(run)))}" for s, run in groupby(path))
    return f"∂{superscript(n)}f/{by}"
