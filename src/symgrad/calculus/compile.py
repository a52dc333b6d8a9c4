"""Compiling expressions to fast float functions: ``math`` for loops, NumPy for grids."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import mpmath
import sympy

from symgrad.calculus import symbolic
from symgrad.errors import MathError, SymgradError


def compile_function(exprs, variables: Sequence, backend: str = "math") -> Callable:
    """A fast float function of one tuple argument that returns ``exprs`` (nested tuples allowed).

    ``backend`` is ``"math"`` for scalar loops or ``"numpy"`` for whole grids.
    """
    try:
        modules = [_float_functions(backend), backend]
        # dummify: every variable gets a generated name, so no user name can meet another (x and ｘ
        # are one name in Python source) or a name of the compiled code's namespace (copysign).
        return sympy.lambdify([tuple(variables)], exprs, modules=modules, cse=True, dummify=True)
    except SymgradError:  # the time limit expiring while lambdify works
        raise
    except Exception as error:  # lambdify raises many kinds for unsupported functions
        raise MathError(f"cannot compile the expression for fast evaluation: {error}") from None


def _float_functions(backend: str) -> dict[str, Callable]:
    """Float versions of what derivatives bring in that the math and numpy modules lack.

    DiracDelta is 0 away from its point and undefined (NaN) at it; polygamma comes from mpmath.
    """

    def polygamma(order, x):
        try:
            return float(mpmath.polygamma(int(order), x))
        except (ValueError, ZeroDivisionError):  # the poles at 0, -1, -2, ...
            return math.nan

    def dirac_delta(x, order=0):
        return 0.0 if x != 0 else math.nan

    if backend == "math":
        return {"DiracDelta": dirac_delta, "polygamma": polygamma, "cbrt": math.cbrt, "sigmoid": sigmoid}
    # lazy: NumPy adds about 0.07 s to every command, and only grids (plots) use this backend
    import numpy

    return {
        "cbrt": numpy.cbrt,
        "DiracDelta": numpy.vectorize(dirac_delta, otypes=[float]),
        "polygamma": numpy.vectorize(polygamma, otypes=[float]),
        "erf": numpy.vectorize(math.erf, otypes=[float]),
        "gamma": numpy.vectorize(_gamma_or_nan, otypes=[float]),
        "sigmoid": lambda u: numpy.exp(-numpy.logaddexp(0.0, -u)),  # 1/(1 + e^(−u)), never overflowing
    }


def sigmoid(u: float) -> float:
    """σ(u) = 1/(1 + e^(−u)) in floats, written so that e^(±u) never overflows."""
    if u >= 0:
        return 1 / (1 + math.exp(-u))
    tail = math.exp(u)
    return tail / (1 + tail)


def _gamma_or_nan(x: float) -> float:
    try:
        return math.gamma(x)
    except (ValueError, OverflowError):
        return math.nan


def compile_value_and_gradient(expr, variables: Sequence, gradient: Sequence | None = None) -> Callable:
    """A float function ``point -> (f, (df/dv1, df/dv2, ...))`` with shared subexpressions.

    ``gradient`` is ∇f when it is at hand already, so that it is not worked out again.
    """
    if gradient is None:
        gradient = symbolic.gradient(expr, variables)
    return compile_function((expr, tuple(gradient)), variables)


@dataclass(frozen=True, eq=False)
class Hessian:
    """∇²f: the exact matrix, worked out once, and its float function, compiled when first asked for.

    Descent's set-up, the verdict and the critical points share one, so neither is done twice.

    >>> x, y = sympy.symbols("x y", real=True)
    >>> hessian = Hessian.of(x**2 * y, (x, y))
    >>> hessian.entries
    ((2*y, 2*x), (2*x, 0))
    >>> hessian.at((1.0, 3.0))
    ((6.0, 2.0), (2.0, 0))
    """

    entries: tuple[tuple, ...]  # of SymPy expressions, row by row
    variables: tuple  # of sympy.Symbol, in order

    @classmethod
    def of(cls, expr, variables: Sequence) -> Hessian:
        variables = tuple(variables)
        return cls(symbolic.hessian(expr, variables), variables)

    @cached_property
    def function(self) -> Callable:
        """The entries as a float function of one tuple (a failed compilation is tried again)."""
        return compile_function(self.entries, self.variables)

    def at(self, point: Sequence[float]) -> tuple[tuple, ...]:
        return self.function(tuple(point))
