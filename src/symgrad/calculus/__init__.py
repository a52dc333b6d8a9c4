"""Exact calculus on SymPy expressions: derivatives, values at points, kinks, compiled functions, grids.

``from symgrad import calculus`` gives the operations every analysis uses; the submodules hold the rest.
"""

from symgrad.calculus.compile import Hessian, compile_function, compile_value_and_gradient
from symgrad.calculus.symbolic import MAX_ORDER, derivative, gradient, hessian, tidy

__all__ = [
    "Hessian",
    "MAX_ORDER",
    "compile_function",
    "compile_value_and_gradient",
    "derivative",
    "gradient",
    "hessian",
    "tidy",
]
