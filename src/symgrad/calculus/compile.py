"""Compiling expressions to fast float functions: ``math`` for loops, NumPy for grids."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy

from symgrad.calculus import source
from symgrad.calculus.float_functions import float_functions
from symgrad.calculus.symbolic import gradient
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


def compile_value_and_gradient(expr, variables: Sequence) -> Callable:
    """A float function ``point -> (f, (df/dv1, df/dv2, ...))`` with shared subexpressions."""
    return compile_function((expr, tuple(gradient(expr, variables))), variables)
