"""Taylor polynomials: the tangent line (order 1) and the quadratic model (order 2) of f at a point.

T_N(x) = Σ_{|α| ≤ N} ∂^α f(a)/α! · (x − a)^α, with every derivative exact at a (and none at a kink).

>>> model = taylor("x**3", at="x=1", order=2)
>>> model.terms, model.polynomial
((1, 3*(x - 1), 3*(x - 1)**2), 3*x**2 - 3*x + 1)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations_with_replacement

import sympy

from symgrad.calculus.kinks import derivative_at
from symgrad.calculus.values import evaluate
from symgrad.errors import InputError, MathError, UndefinedValueError
from symgrad.expression.points import read_point
from symgrad.expression.reading import Expression, read_expression

# Past this order the terms are too many to read, and SymPy's derivatives too slow to wait for.
MAX_TAYLOR_ORDER = 10


@dataclass(frozen=True)
class TaylorPolynomial:
    """f's Taylor polynomial of ``order`` at ``point``, in powers of (x − a) and expanded."""

    function: Expression
    point: dict  # sympy.Symbol -> exact value
    order: int
    terms: tuple  # sympy.Expr per nonzero term, lowest degree first: f(a), f′(a)·(x − a), ...
    polynomial: object  # sympy.Expr, the same polynomial multiplied out

    @property
    def centred(self):
        """The polynomial in powers of (x − a), as a teacher writes it (unevaluated)."""
        if not self.terms:
            return sympy.Integer(0)
        return self.terms[0] if len(self.terms) == 1 else sympy.Add(*self.terms, evaluate=False)

    @property
    def name(self) -> str:
        """What the polynomial is called: the tangent line, the quadratic model, ..."""
        count = len(self.function.variables)
        if self.order == 1:
            return {1: "the tangent line", 2: "the tangent plane"}.get(count, "the linear model")
        if self.order == 2:
            return "the quadratic model"
        return f"the Taylor polynomial of order {self.order}"


def taylor(text: str, *, at: str, order: int = 2, variables: str | None = None, let: Sequence[str] = ()):
    """The Taylor polynomial of ``text`` of ``order`` at the point ``at``."""
    if not 0 <= order <= MAX_TAYLOR_ORDER:
        raise InputError(f"--order takes 0 to {MAX_TAYLOR_ORDER}, got {order}")
    function = read_expression(text, variables, let=let)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    point = read_point(function, at)
    terms = [_term(function, point, path) for k in range(order + 1) for path in _paths(function, k)]
    nonzero = tuple(t for t in terms if t != 0)
    return TaylorPolynomial(function, point, order, nonzero, sympy.expand(sum(terms)))


def _paths(function: Expression, k: int):
    """The k-th derivatives to take, one per multi-index α with |α| = k (∂²/∂x∂y once, not twice)."""
    return combinations_with_replacement(function.variables, k)


def _term(function: Expression, point: dict, path: tuple):
    """∂^α f(a)/α! · (x − a)^α for the multi-index that ``path`` counts, kept unexpanded."""
    try:
        if path:
            value = derivative_at(function.expr, list(path), point).exact
        else:
            value = evaluate(function.expr, point).exact
    except UndefinedValueError as error:
        what = f"its derivative by {', '.join(s.name for s in path)}" if path else "f"
        raise MathError(f"no Taylor polynomial here: {what} has no value ({error})") from None
    counts = Counter(path)
    coefficient = value / math.prod(math.factorial(n) for n in counts.values())
    if coefficient == 0:
        return sympy.Integer(0)
    powers = [(s - point[s]) ** n for s, n in counts.items()]
    if not powers:
        return coefficient
    if coefficient == 1:
        return sympy.Mul(*powers, evaluate=False) if len(powers) > 1 else powers[0]
    return sympy.Mul(coefficient, *powers, evaluate=False)
