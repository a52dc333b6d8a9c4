"""f, ∇f and ∇²f of one function, symbolic, and compiled once for the searches and the classifier."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from symgrad import calculus


@dataclass(frozen=True, eq=False)
class Derivatives:
    """A function with its gradient and Hessian, as SymPy expressions and as float functions of one
    tuple of floats (``f``, ``g`` and ``h``).

    Each float function is compiled when first used: compiling f alone took 0.3 s for a 100-term
    least-squares loss, and a classification by the Hessian's eigenvalues never uses it.
    """

    expr: object  # sympy.Expr
    variables: tuple  # of sympy.Symbol, in order
    gradient: tuple
    second: calculus.Hessian  # ∇²f, maybe shared with descent's set-up and its verdict

    @property
    def hessian(self) -> tuple[tuple, ...]:
        return self.second.entries

    @cached_property
    def f(self) -> Callable:
        return calculus.compile_function(self.expr, self.variables)

    @cached_property
    def g(self) -> Callable:
        return calculus.compile_function(self.gradient, self.variables)

    @property
    def h(self) -> Callable:
        return self.second.function


def derivatives(expr, variables: Sequence, gradient=None, hessian=None) -> Derivatives:
    """Differentiate ``expr``, unless given the results: ``gradient``, and ``hessian``, the matrix of its
    entries or a ``calculus.Hessian``."""
    variables = tuple(variables)
    gradient = tuple(calculus.gradient(expr, variables) if gradient is None else gradient)
    if hessian is None:
        hessian = calculus.Hessian.of(expr, variables)
    elif not isinstance(hessian, calculus.Hessian):
        hessian = calculus.Hessian(tuple(tuple(row) for row in hessian), variables)
    return Derivatives(expr, variables, gradient, hessian)
