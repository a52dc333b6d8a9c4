"""f, ∇f and ∇²f of one function, symbolic and compiled once for the searches and the classifier."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from symgrad import calculus


@dataclass(frozen=True, eq=False)
class Derivatives:
    """A function with its gradient and Hessian, as SymPy expressions and as float functions."""

    expr: object  # sympy.Expr
    variables: tuple  # of sympy.Symbol, in order
    gradient: tuple
    hessian: tuple[tuple, ...]
    f: Callable  # of one tuple of floats, like the two below
    g: Callable
    h: Callable


def derivatives(expr, variables: Sequence, gradient=None, hessian=None) -> Derivatives:
    """Differentiate ``expr`` (unless given the results) and compile f, ∇f and ∇²f."""
    variables = tuple(variables)
    gradient = tuple(calculus.gradient(expr, variables) if gradient is None else gradient)
    hessian = calculus.hessian(expr, variables) if hessian is None else hessian
    return Derivatives(
        expr,
        variables,
        gradient,
        hessian,
        calculus.compile_function(expr, variables),
        calculus.compile_function(gradient, variables),
        calculus.compile_function(hessian, variables),
    )
