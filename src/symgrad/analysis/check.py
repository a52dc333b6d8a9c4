"""The result behind ``symgrad check``: is a gradient right? Against finite differences and yours.

>>> result = check_gradient("x**2*y", at="1,2", grad="2*x, x**2")
>>> [c.agrees for c in result.components], result.wrong
([False, True], (0,))
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

import sympy

from symgrad import calculus
from symgrad.calculus.kinks import derivative_at
from symgrad.calculus.values import Value, evaluate
from symgrad.errors import InputError, MathError, ParseError, UndefinedValueError
from symgrad.expression.functions import sigmoid
from symgrad.expression.parse import parse_expression
from symgrad.expression.points import format_point, one_per_variable, read_point
from symgrad.expression.printing import to_text
from symgrad.expression.reading import Expression, read_expression

# Central differences err by h²·f'''/6 (truncation) plus about ε·|f|/h (rounding); this h, the
# cube root of machine epsilon, balances the two.
RELATIVE_STEP = sys.float_info.epsilon ** (1 / 3)
ELSEWHERE_POINTS = 8


@dataclass(frozen=True)
class ComponentCheck:
    """One partial derivative: the true one, finite differences and, when given, the user's."""

    name: str
    symbolic: object  # sympy.Expr
    value: Value | None = None  # None (and the finite differences too) when no point is given
    step: float | None = None  # h for this variable
    finite_difference: float | None = None
    expected_error: float | None = None  # what finite differences should miss by, from f''' and rounding
    fd_agrees: bool | None = None
    yours: object | None = None  # sympy.Expr
    your_value: Value | None = None
    abs_error: float | None = None
    rel_error: float | None = None
    agrees: bool | None = None  # at this point, or everywhere when no point is given
    differs_at: dict | None = None  # a point where yours is wrong although it agrees here
    decided: str | None = None  # without a point: "exactly" (the difference is 0) or "random points"


@dataclass(frozen=True)
class GradientCheck:
    function: Expression
    point: dict | None  # None: the user's gradient is compared with the true one everywhere
    components: tuple[ComponentCheck, ...]

    @property
    def wrong(self) -> tuple[int, ...]:
        """Indices of the user's components that are wrong (here or elsewhere)."""
        return tuple(
            i for i, c in enumerate(self.components) if c.agrees is False or c.differs_at is not None
        )

    @property
    def finite_differences_agree(self) -> bool | None:
        """Whether finite differences confirm the symbolic gradient; None without a point."""
        if self.point is None:
            return None
        return all(c.fd_agrees for c in self.components)


def read_gradient(function: Expression, text: str) -> tuple:
    """The user's gradient from ``"g1, g2, ..."``: one safely parsed expression per variable."""
    advice = "; give one partial derivative per variable in that order, separated by commas"
    parts = one_per_variable(function, text, "--grad", advice)
    components = []
    for i, part in enumerate(parts, 1):
        try:
            component = parse_expression(part)
        except ParseError as error:
            raise ParseError(f"--grad component {i}: {error.message}", part, error.position) from None
        unknown = sorted(s.name for s in component.free_symbols if s not in function.variables)
        if unknown:
            raise InputError(
                f"--grad component {i} uses {', '.join(unknown)}, which the expression does not "
                f"(variables: {', '.join(function.names)})"
            )
        components.append(component)
    return tuple(components)


def check_gradient(
    text: str,
    *,
    at: str | None,
    grad: str | None = None,
    variables: str | None = None,
    let: Sequence[str] = (),
) -> GradientCheck:
    """Compare the gradient of ``text`` at ``at`` with central differences and with ``grad``.

    Without ``at``, ``grad`` is compared with the true gradient everywhere: exactly where their
    difference simplifies to zero, else at random points.
    """
    function = read_expression(text, variables, let=let)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    if at is None and grad is None:
        raise InputError(
            "give --at POINT to check the gradient against finite differences there, or --grad with "
            "your gradient to compare it with the true one everywhere"
        )
    yours = read_gradient(function, grad) if grad is not None else None
    gradient = calculus.gradient(function.expr, function.variables)
    if at is None:
        components = (
            compare_everywhere(ComponentCheck(v.name, true), mine, function)
            for v, true, mine in zip(function.variables, gradient, yours)
        )
        return GradientCheck(function, None, tuple(components))
    point = read_point(function, at)
    f = calculus.compile_function(function.expr, function.variables)
    centre = [evaluate(v, {}).numeric for v in point.values()]
    f_value = evaluate(function.expr, point).numeric
    if f_value is None or None in centre:
        raise MathError(
            f"f is beyond the range of floats at {format_point(point)}, so finite differences cannot "
            "check the gradient there: choose a point where f is below about 1e308"
        )
    components = []
    for i, (symbol, component) in enumerate(zip(function.variables, gradient)):
        value = derivative_at(function.expr, [symbol], point, component)  # none at a kink
        step = RELATIVE_STEP * max(1.0, abs(centre[i]))
        difference = _central_difference(f, centre, i, step)
        expected = _expected_error(function.expr, symbol, point, step, f_value)
        fd_agrees = (
            difference is not None
            and value.numeric is not None
            and abs(difference - value.numeric) <= 10 * expected + 1e-10 * (1 + abs(value.numeric))
        )
        check = ComponentCheck(symbol.name, component, value, step, difference, expected, fd_agrees)
        if yours is not None:
            check = _compare(check, yours[i], point, function)
        components.append(check)
    return GradientCheck(function, point, tuple(components))


def mismatch_error(result: GradientCheck) -> MathError | None:
    """The one-line error for a wrong user gradient, naming the components that differ."""
    if not result.wrong:
        return None
    first = result.components[result.wrong[0]]
    d = "∂" if len(result.components) > 1 else "d"
    names = ", ".join(f"{i + 1} ({d}f/{d}{result.components[i].name})" for i in result.wrong)
    plural = "s" if len(result.wrong) > 1 else ""
    if result.point is None:
        where = ", ".join(f"{k}={v:g}" for k, v in first.differs_at.items())
        detail = (
            f"you gave {to_text(first.yours)}, the true one is {to_text(first.symbolic)} "
            f"(they differ at {where})"
        )
    elif first.agrees is False:
        detail = (
            f"you gave {to_text(first.yours)} = {to_text(first.your_value.exact)}, "
            f"the true value is {to_text(first.symbolic)} = "
            f"{to_text(first.value.exact)}"
        )
    else:
        where = ", ".join(f"{k}={v:g}" for k, v in first.differs_at.items())
        detail = (
            f"{to_text(first.yours)} agrees at this point but not at {where} "
            f"(the true one is {to_text(first.symbolic)})"
        )
    return MathError(f"your gradient differs from the true one in component{plural} {names}: {detail}")


def _central_difference(f, centre: list[float], i: int, step: float) -> float | None:
    forward, backward = list(centre), list(centre)
    forward[i] += step
    backward[i] -= step
    try:
        return (float(f(tuple(forward))) - float(f(tuple(backward)))) / (2 * step)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None


def _expected_error(expr, symbol, point: dict, step: float, f_value: float | None) -> float:
    """h²·|f'''|/6 for truncation plus ε·|f|/h for rounding (f''' taken as 1 if it is undefined)."""
    try:
        third = evaluate(calculus.derivative(expr, [symbol] * 3), point).numeric
    except (UndefinedValueError, MathError):
        third = None
    third = 1.0 if third is None else abs(third)
    rounding = sys.float_info.epsilon * max(1.0, abs(f_value or 0.0)) / step
    return step**2 * third / 6 + rounding


def _compare(check: ComponentCheck, yours, point: dict, function: Expression) -> ComponentCheck:
    try:
        your_value = evaluate(yours, point)
    except UndefinedValueError as error:
        raise MathError(f"your ∂f/∂{check.name} has no value at this point: {error}") from None
    difference = complex((your_value.exact - check.value.exact).evalf(30))
    abs_error = abs(difference)
    scale = abs(check.value.numeric or 0.0)
    agrees = abs_error <= 1e-25 * (1 + scale)
    rel_error = abs_error / scale if scale else (0.0 if agrees else math.inf)
    differs_at = _differs_elsewhere(yours, check.symbolic, function) if agrees else None
    return replace(
        check,
        yours=yours,
        your_value=your_value,
        abs_error=abs_error,
        rel_error=rel_error,
        agrees=agrees,
        differs_at=differs_at,
    )


def compare_everywhere(check: ComponentCheck, yours, function: Expression) -> ComponentCheck:
    """``check`` with the user's component compared with the true one as functions, not at a point."""
    if _is_zero(yours - check.symbolic):
        return replace(check, yours=yours, agrees=True, decided="exactly")
    where = _differs_elsewhere(yours, check.symbolic, function)
    return replace(check, yours=yours, agrees=where is None, differs_at=where, decided="random points")


def _is_zero(difference) -> bool:
    """Whether ``difference`` simplifies to 0 (False also when SymPy cannot tell)."""
    if difference == 0 or sympy.expand(difference) == 0 or calculus.tidy(difference) == 0:
        return True
    # SymPy's simplification knows e^x, not σ(x).
    difference = difference.replace(lambda e: isinstance(e, sigmoid), lambda e: e.rewrite(sympy.exp))
    try:
        return sympy.simplify(difference) == 0
    except (TypeError, ValueError, NotImplementedError):
        return False


def _differs_elsewhere(yours, true, function: Expression) -> dict | None:
    """A point (two-decimal coordinates) where ``yours`` and ``true`` differ, if one is found."""
    import numpy  # lazy: NumPy adds about 0.07 s, and only a --grad that agrees here needs it

    if calculus.tidy(yours - true) == 0:
        return None
    compiled = calculus.compile_function((yours, true), function.variables)
    rng = numpy.random.default_rng(0)
    for _ in range(ELSEWHERE_POINTS):
        point = tuple(round(float(v), 2) for v in rng.uniform(-2, 2, len(function.variables)))
        try:
            a, b = (float(v) for v in compiled(point))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            continue
        if math.isfinite(a) and math.isfinite(b) and abs(a - b) > 1e-9 * (1 + abs(b)):
            return dict(zip(function.names, point))
    return None
