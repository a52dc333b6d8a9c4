"""The results behind ``symgrad diff`` and ``symgrad grad``: exact derivatives and their values.

>>> result = differentiate("3*x**3-5*x**2+2", at=["x=2"])
>>> result.derivative, result.evaluations[0].value.exact
(9*x**2 - 10*x, 16)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mpmath
import sympy

from symgrad import calculus
from symgrad.calculus.kinks import derivative_at, derivatives_at, nonsmooth
from symgrad.calculus.values import Value, evaluate, is_short
from symgrad.errors import InputError
from symgrad.expression.points import one_per_variable, read_point, read_value
from symgrad.expression.reading import Expression, read_expression


@dataclass(frozen=True)
class PointValue:
    """An expression's value at one point."""

    point: dict  # sympy.Symbol -> exact value, in variable order
    value: Value


@dataclass(frozen=True)
class DerivativeResult:
    function: Expression
    wrt: tuple  # the symbols differentiated by, in order
    derivative: object  # sympy.Expr
    evaluations: tuple[PointValue, ...]

    @property
    def order(self) -> int:
        return len(self.wrt)


@dataclass(frozen=True)
class GradientAt:
    """The gradient at one point: exact and float components, norm and steepest-descent direction."""

    point: dict
    values: tuple[Value, ...]
    norm_exact: object  # sympy.Expr; None when it is too long to read
    norm: float
    descent_direction: tuple[float, ...] | None  # -grad/|grad|; None where the gradient is zero
    directional: Value | None = None  # ∇f·u when a direction u was given


@dataclass(frozen=True)
class GradientResult:
    function: Expression
    gradient: tuple  # of sympy.Expr
    evaluations: tuple[GradientAt, ...]
    direction: Direction | None = None


@dataclass(frozen=True)
class Direction:
    """A direction as given and as the unit vector u that directional derivatives use."""

    given: tuple  # sympy.Expr components as typed
    unit: tuple  # sympy.Expr components of u = d/|d|
    normalised: bool  # False when the given vector was already of length 1
    derivative: object  # ∇f·u as an expression of the variables


def _wrt_symbols(function: Expression, wrt: Sequence[str], order: int) -> tuple:
    if function.wrt is not None:
        if any(name.strip() != function.wrt for name in wrt):
            raise InputError(f"d/d{function.wrt} and --wrt {', '.join(wrt)} disagree: give one of them")
        wrt = [function.wrt]
    if order < 1:
        raise InputError(f"--order must be 1 or more, got {order}")
    if order > calculus.MAX_ORDER:
        raise InputError(f"--order {order} is above the limit of {calculus.MAX_ORDER}")
    if len(wrt) > 1 and order > 1:
        raise InputError("use either repeated --wrt (mixed partials) or --order with one --wrt")
    if not wrt:
        if len(function.variables) > 1:
            raise InputError(
                f"the expression has several variables ({', '.join(function.names)}): "
                "say which with --wrt, or use 'symgrad grad' for all partial derivatives"
            )
        wrt = [function.names[0] if function.variables else "x"]
    symbols = []
    for name in wrt:
        name = name.strip()
        if not name.isidentifier():
            raise InputError(f"--wrt takes a variable name, got {name!r}")
        symbol = sympy.Symbol(name, real=True)
        if function.variables and symbol not in function.variables:
            raise InputError(
                f"--wrt names {name!r}, which is not a variable of the expression "
                f"({', '.join(function.names)}); to differentiate by it anyway, list it in --vars"
            )
        symbols.append(symbol)
    return tuple(symbols * order)


def differentiate(
    text: str,
    *,
    wrt: Sequence[str] = (),
    order: int = 1,
    at: Sequence[str] = (),
    variables: str | None = None,
    let: Sequence[str] = (),
) -> DerivativeResult:
    """Differentiate ``text`` by ``wrt`` (``order`` times) and evaluate at each point in ``at``.

    ``text`` may start with ``d/dx`` (the same as ``wrt=["x"]``); a point needs no value for a symbol
    the derivative does not depend on.
    """
    function = read_expression(text, variables, let=let, constants=True, derivative=True)
    symbols = _wrt_symbols(function, wrt, order)
    result = calculus.derivative(function.expr, symbols)
    unused = set(function.expr.free_symbols) - set(result.free_symbols)
    points = [read_point(function, point, constants=True, optional=unused) for point in at]
    evaluations = tuple(
        PointValue(point, _derivative_at(function, symbols, point, result)) for point in points
    )
    return DerivativeResult(function, symbols, result, evaluations)


def _derivative_at(function: Expression, symbols: tuple, point: dict, derivative) -> Value:
    """The derivative's value at ``point``; where the point leaves out symbols the derivative does not
    use, f itself cannot be evaluated, so the derivative's own value is the answer."""
    if function.expr.free_symbols <= set(point):
        return derivative_at(function.expr, symbols, point, derivative, bounded=True)
    if function.expr.has(*nonsmooth()):
        left_out = sorted(s.name for s in function.expr.free_symbols - set(point))
        raise InputError(f"--at gives no value for {', '.join(left_out)}, which f needs at its kinks")
    return evaluate(derivative, point, bounded=True)


def gradient(
    text: str,
    *,
    at: Sequence[str] = (),
    variables: str | None = None,
    direction: str | None = None,
    let: Sequence[str] = (),
) -> GradientResult:
    """The gradient of ``text`` in variable order, evaluated at each point in ``at``.

    With ``direction`` ("1,1") also the directional derivative ∇f·u, u the normalised direction.
    """
    function = read_expression(text, variables, let=let, constants=True)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    components = calculus.gradient(function.expr, function.variables)
    points = [read_point(function, point, constants=True) for point in at]
    towards = read_direction(function, components, direction) if direction is not None else None
    unit = towards.unit if towards else None
    return GradientResult(
        function,
        components,
        tuple(gradient_at(function, components, point, unit) for point in points),
        towards,
    )


def read_direction(function: Expression, components: Sequence, text: str) -> Direction:
    """The direction ``1,1`` (exact values, one per variable) and its unit vector."""
    parts = one_per_variable(function, text, "--direction")
    given = tuple(read_value(part, f"--direction component {i}") for i, part in enumerate(parts, 1))
    length = sympy.sqrt(sum(c**2 for c in given))
    if length == 0:
        raise InputError("--direction is the zero vector, which points nowhere: give e.g. 1,1")
    unit = tuple(sympy.radsimp(c / length) for c in given)
    derivative = calculus.tidy(sum(g * u for g, u in zip(components, unit)))
    return Direction(given, unit, length != 1, derivative)


def gradient_at(
    function: Expression, components: Sequence, point: dict, unit: Sequence | None = None
) -> GradientAt:
    """Evaluate gradient components at ``point``: exact values, norm and descent direction.

    With a unit vector ``unit`` also the directional derivative ∇f·u there.
    """
    paths = [[symbol] for symbol in function.variables]
    values = derivatives_at(function.expr, paths, point, components, bounded=True)
    every_exact = all(value.exact is not None for value in values)
    norm_exact = sympy.sqrt(sum(value.exact**2 for value in values)) if every_exact else None
    norm, direction = _norm_and_direction(values, norm_exact)
    if norm_exact is not None and not is_short(norm_exact):
        norm_exact = None
    directional = None
    if unit is not None and every_exact:
        directional = evaluate(
            sympy.radsimp(sum(v.exact * u for v, u in zip(values, unit))), {}, bounded=True
        )
    elif unit is not None:
        directional = Value(None, float(sum(v.numeric * u for v, u in zip(values, unit))))
    return GradientAt(point, values, norm_exact, norm, direction, directional)


def _norm_and_direction(values: Sequence[Value], norm_exact) -> tuple[float, tuple[float, ...] | None]:
    """‖∇f‖ and −∇f/‖∇f‖ from the floats at hand, not from the exact values (seconds on a long one).

    mpmath at 30 digits keeps the results correctly rounded for float components and never overflows
    (1e200 squared); only a component beyond the range of floats sends the work to the exact values
    (a value given as a decimal alone is always within their range).
    """
    tiny = any(value.numeric == 0 and value.exact not in (0, None) for value in values)  # 1e-400
    if norm_exact is not None and (tiny or any(value.numeric is None for value in values)):
        norm = float(norm_exact.evalf(30))
        if norm_exact == 0:
            return norm, None
        return norm, tuple(float((-value.exact / norm_exact).evalf(30)) for value in values)
    with mpmath.workdps(30):
        components = [mpmath.mpf(value.numeric) for value in values]
        norm = mpmath.sqrt(mpmath.fsum(c**2 for c in components))
        if norm == 0:
            return 0.0, None
        return float(norm), tuple(float(-c / norm) for c in components)
