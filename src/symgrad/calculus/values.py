"""Exact values at a point, with a precise reason when a value does not exist.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> evaluate(9*x**2 - 10*x, {x: 2})
Value(exact=16, numeric=16.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from symgrad.errors import UndefinedValueError
from symgrad.expression.points import format_point


@dataclass(frozen=True)
class Value:
    exact: object  # sympy.Expr
    numeric: float | None  # None when the exact value is too large for a float


def evaluate(expr, point: dict) -> Value:
    """The exact value of ``expr`` at ``point`` and its float, or UndefinedValueError saying why."""
    exact = expr.xreplace(point)
    if _non_finite(exact):
        raise UndefinedValueError(f"undefined at {format_point(point)} ({_why(expr, point)})")
    numeric = exact.evalf(30)
    real, imaginary = numeric.as_real_imag()
    if imaginary != 0 and not (abs(imaginary) < abs(real) * 1e-25):
        raise UndefinedValueError(f"not a real number at {format_point(point)}: {exact}{_root_hint(expr)}")
    if imaginary != 0:
        exact = sympy.re(exact)
    try:
        as_float = float(real)
    except (TypeError, ValueError):
        raise UndefinedValueError(f"no numeric value at {format_point(point)}: {exact}") from None
    return Value(exact, as_float if math.isfinite(as_float) else None)


def _root_hint(expr) -> str:
    """x**(1/3) of a negative x is complex in SymPy (the principal root); cbrt is the real one."""
    odd_roots = [
        p for p in expr.atoms(sympy.Pow) if p.exp.is_Rational and not p.exp.is_Integer and p.exp.q % 2 == 1
    ]
    hint = " (x**(1/3) is the principal root, complex for x < 0; cbrt(x) is the real one)"
    return hint if odd_roots else ""


def _non_finite(value) -> bool:
    return bool(value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))


def _why(expr, point: dict) -> str:
    """Name the innermost operation that fails at ``point``."""
    for node in sympy.postorder_traversal(expr):
        if not node.args or not _non_finite(node.xreplace(point)):
            continue
        if isinstance(node, sympy.Pow) and node.exp.is_negative:
            return "division by zero"
        if isinstance(node, sympy.log):
            return "log of zero"
        if isinstance(node, sympy.Function):
            return f"{node.func.__name__} is undefined there"
        return "0/0 or ∞-∞, which has no value"
    return "the value is not finite"
