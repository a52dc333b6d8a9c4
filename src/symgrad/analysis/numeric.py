"""Derivatives at points when the exact path runs out of time: numbers from automatic differentiation.

A gradient at a point needs no formula: forward-mode automatic differentiation (``calculus.dual``)
gives it in time proportional to the size of the expression. ``symgrad grad`` and ``symgrad diff``
fall back to it when the symbolic path cannot finish within the time limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from symgrad.calculus.dual import value_and_gradient
from symgrad.calculus.kinks import nonsmooth
from symgrad.errors import MathError
from symgrad.expression.points import read_point
from symgrad.expression.reading import Expression, read_expression

METHOD = "forward-mode automatic differentiation"


@dataclass(frozen=True)
class NumericAt:
    """The partial derivatives at one point, as floats only."""

    point: dict
    values: tuple[float, ...]
    norm: float
    descent_direction: tuple[float, ...] | None  # None where the gradient is zero


@dataclass(frozen=True)
class NumericGradient:
    """Partial derivatives at points without their exact forms (the symbolic path ran out of time)."""

    function: Expression
    wrt: tuple  # the symbols differentiated by: all variables for grad, one for diff
    evaluations: tuple[NumericAt, ...]
    reason: str  # why there is no exact form, e.g. "time limit"
    is_gradient: bool  # grad's vector with norm and direction, or diff's single derivative
    method: str = METHOD


def numeric_derivatives(
    text: str,
    *,
    at: Sequence[str],
    wrt: Sequence[str] = (),
    variables: str | None = None,
    let: Sequence[str] = (),
    reason: str = "time limit",
    is_gradient: bool = False,
) -> NumericGradient:
    """The partial derivatives of ``text`` by ``wrt`` at each point of ``at``: the gradient (with norm
    and direction) when ``is_gradient``, else one derivative (``wrt`` empty: by the only variable).

    Refused (MathError) at kinks (abs, max, floor...), where a float derivative could be a convention
    rather than a limit; the exact path decides those.
    """
    function = read_expression(text, variables, let=let, constants=True, derivative=True)
    if function.expr.has(*nonsmooth()):
        raise MathError("no numeric fallback for an expression with kinks or jumps")
    by_name = {v.name: v for v in function.variables}
    names = [function.wrt] if function.wrt else [name.strip() for name in wrt]
    if any(name not in by_name for name in names):
        raise MathError("no numeric fallback for a derivative by a symbol that is not a variable")
    symbols = tuple(by_name[name] for name in names) if names else tuple(function.variables)
    if not is_gradient and len(symbols) != 1:
        raise MathError("no numeric fallback for this derivative: name one variable with --wrt")
    evaluations = []
    for text_point in at:
        point = read_point(function, text_point, constants=True)
        _, gradient = value_and_gradient(function.expr, function.variables, point)
        values = tuple(gradient[function.variables.index(s)] for s in symbols)
        evaluations.append(NumericAt(point, values, *_norm_and_direction(values)))
    return NumericGradient(function, symbols, tuple(evaluations), reason, is_gradient)


def _norm_and_direction(values: Sequence[float]) -> tuple[float, tuple[float, ...] | None]:
    norm = math.hypot(*values)
    if norm == 0:
        return 0.0, None
    return norm, tuple(-v / norm for v in values)
