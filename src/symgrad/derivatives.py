"""The results behind ``symgrad diff`` and ``symgrad grad``: exact derivatives and their values.

>>> result = differentiate("3*x**3-5*x**2+2", at=["x=2"])
>>> result.derivative, result.evaluations[0].value.exact
(9*x**2 - 10*x, 16)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from symgrad import calculus
from symgrad.errors import InputError
from symgrad.evaluation import Value, evaluate
from symgrad.expression import Expression, read_expression, read_point


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
    norm_exact: object  # sympy.Expr
    norm: float
    descent_direction: tuple[float, ...] | None  # -grad/|grad|; None where the gradient is zero


@dataclass(frozen=True)
class GradientResult:
    function: Expression
    gradient: tuple  # of sympy.Expr
    evaluations: tuple[GradientAt, ...]


def _wrt_symbols(function: Expression, wrt: Sequence[str], order: int) -> tuple:
    import sympy

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
        symbols.append(sympy.Symbol(name, real=True))
    return tuple(symbols * order)


def differentiate(
    text: str,
    *,
    wrt: Sequence[str] = (),
    order: int = 1,
    at: Sequence[str] = (),
    variables: str | None = None,
) -> DerivativeResult:
    """Differentiate ``text`` by ``wrt`` (``order`` times) and evaluate at each point in ``at``."""
    function = read_expression(text, variables)
    symbols = _wrt_symbols(function, wrt, order)
    result = calculus.derivative(function.expr, symbols)
    points = [read_point(function, point) for point in at]
    evaluations = tuple(PointValue(point, evaluate(result, point)) for point in points)
    return DerivativeResult(function, symbols, result, evaluations)


def gradient(
    text: str, *, at: Sequence[str] = (), variables: str | None = None
) -> GradientResult:
    """The gradient of ``text`` in variable order, evaluated at each point in ``at``."""
    function = read_expression(text, variables)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    components = calculus.gradient(function.expr, function.variables)
    points = [read_point(function, point) for point in at]
    return GradientResult(
        function, components, tuple(gradient_at(components, point) for point in points)
    )


def gradient_at(components: Sequence, point: dict) -> GradientAt:
    """Evaluate gradient components at ``point``: exact values, norm and descent direction."""
    import sympy

    values = tuple(evaluate(component, point) for component in components)
    norm_exact = sympy.sqrt(sum(value.exact**2 for value in values))
    numeric = [value.numeric for value in values]
    if any(v is None for v in numeric):
        norm = math.inf
        direction = None
    else:
        norm = math.hypot(*numeric)
        direction = tuple(-v / norm for v in numeric) if norm > 0 else None
    return GradientAt(point, values, norm_exact, norm, direction)
