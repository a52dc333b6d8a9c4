"""Exact values at a point, with a precise reason when a value does not exist.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> evaluate(9*x**2 - 10*x, {x: 2})
Value(exact=16, numeric=16.0)

An exact value is worth showing only when it is short (a rational, a radical, π, a small closed
form). ``evaluate(..., bounded=True)`` keeps those and gives the decimal alone for the rest: the
exact value of a neural-net gradient component at a point is a page of nested tanh and exp that
costs more to print than everything else the command does.

>>> y = sympy.Symbol("y", real=True)
>>> unit = sympy.exp(-x * sympy.tanh(y))
>>> loss = sympy.tanh(x) * unit / (1 + unit) ** 2 + sympy.tanh(y) / (1 + sympy.exp(x))
>>> evaluate(loss, {x: 2, y: 3}, bounded=True)
Value(exact=None, numeric=0.2205943939930...)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import symengine
import sympy

from symgrad.deadline import within
from symgrad.errors import UndefinedValueError
from symgrad.expression.points import format_point

# An exact value with more nodes than this (a node is a number, a symbol or an operation) is not
# shown: 5 - 3*sqrt(2)/4 has 8, π/6 + √3/2 has 9, e**4 + 2*log(2) has 8.
SHORT_EXACT = 24
# The exact value of an expression with more nodes than this is not even built: substituting into
# it and cancelling would cost more than the answer is worth.
_SUBSTITUTION_LIMIT = 20_000
# Seconds that building one exact value may take before the decimal alone is given.
_EXACT_BUDGET = 0.5
# Bits of the decimal computed in SymEngine's MPFR arithmetic: about 30 digits, as evalf(30) gives.
_BITS = 100


@dataclass(frozen=True)
class Value:
    exact: object  # sympy.Expr; None when it is too long to read (then only the decimal is given)
    numeric: float | None  # None when the exact value is too large for a float


def is_short(exact) -> bool:
    """Whether an exact value is short enough to be worth showing beside its decimal."""
    nodes = 0
    for _ in sympy.preorder_traversal(exact):
        nodes += 1
        if nodes > SHORT_EXACT:
            return False
    return True


def evaluate(expr, point: dict, *, bounded: bool = False) -> Value:
    """The exact value of ``expr`` at ``point`` and its float, or UndefinedValueError saying why.

    ``bounded``: give the exact value only when it is short and cheap to build; otherwise
    ``exact`` is None and the decimal comes from SymEngine at about 30 digits. Anything unusual on
    that path (a value that is not finite, not real, or beyond the floats) is left to the exact path,
    which says precisely why.
    """
    if bounded:
        quick = _decimal_only(expr, point)
        if quick is not None:
            return quick
    return _exact_value(expr, point)


def _decimal_only(expr, point: dict) -> Value | None:
    """The value without its exact form when that form is long or slow; None to take the exact path."""
    exact = None
    if _nodes_at_most(expr, _SUBSTITUTION_LIMIT):
        with within(_EXACT_BUDGET) as allowed:
            if allowed:
                exact = expr.xreplace(point)
        if exact is not None and (is_short(exact) or _non_finite(exact)):
            return None
    numeric = _mpfr_value(exact if exact is not None else expr, point)
    if numeric is None:
        return None
    return Value(None, numeric)


def _mpfr_value(expr, point: dict) -> float | None:
    """The float of ``expr`` at ``point`` from 100-bit arithmetic in SymEngine's C++ core (0.2 ms where
    SymPy's evalf takes 6 ms on a neural-net gradient component); None when it is not a finite real."""
    try:
        at = {symengine.Symbol(s.name): symengine.sympify(v) for s, v in point.items()}
        value = complex(symengine.sympify(expr).xreplace(at).evalf(_BITS, real=False))
    except Exception:  # noqa: BLE001 - SymEngine raises many kinds for what it cannot evaluate
        return None
    if value.imag != 0 or not math.isfinite(value.real):
        return None
    return value.real


def _nodes_at_most(expr, limit: int) -> bool:
    return all(n <= limit for n, _ in enumerate(sympy.preorder_traversal(expr)))


def _exact_value(expr, point: dict) -> Value:
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
