"""Compiling expressions to fast float functions: ``math`` for loops, NumPy for grids."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import sympy

from symgrad.calculus import source, symbolic
from symgrad.calculus.float_functions import float_functions
from symgrad.errors import MathError, SymgradError

# Above this many nodes an expression is compiled by calculus.source (SymEngine's cse and a printer
# of its own), which builds a neural-net loss's gradient about 70x and its Hessian 200x faster than
# lambdify (benchmarks/compile.py). Smaller ones keep lambdify, so the digits the examples print
# stay exactly those of lambdify's code.
LARGE = 250


def compile_function(exprs, variables: Sequence, backend: str = "math") -> Callable:
    """A fast float function of one tuple argument that returns ``exprs`` (nested tuples allowed).

    ``backend`` is ``"math"`` for scalar loops or ``"numpy"`` for whole grids. Expressions of more
    than ``LARGE`` nodes are compiled by ``calculus.source``, the rest (and what it does not print)
    by lambdify.
    """
    try:
        if source.node_count(exprs, LARGE) > LARGE:
            try:
                return source.engine_function(exprs, variables, backend)
            except SymgradError:
                raise
            except Exception:  # noqa: BLE001 - Unsupported, or anything SymEngine refuses: lambdify's turn
                pass
        modules = [float_functions(backend), backend]
        # dummify: every variable gets a generated name, so no user name can meet another (x and ｘ
        # are one name in Python source) or a name of the compiled code's namespace (copysign).
        return sympy.lambdify([tuple(variables)], exprs, modules=modules, cse=True, dummify=True)
    except SymgradError:  # the time limit expiring while lambdify works
        raise
    except Exception as error:  # lambdify raises many kinds for unsupported functions
        raise MathError(f"cannot compile the expression for fast evaluation: {error}") from None


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
