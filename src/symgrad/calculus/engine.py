"""SymEngine behind the calculus seam: differentiation of smooth expressions in its C++ core.

SymPy stays the language of the rest of symgrad: an expression goes to SymEngine, is differentiated
there, and comes back as the same SymPy expression SymPy's own ``diff`` gives (the tests compare
both). Only expressions built from the operations below go this way; kinks (abs, max, sign, floor),
symgrad's own functions (sigmoid, softplus) and anything else stay with SymPy.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> differentiate(sympy.sin(x) * x**2, [[x], [x, x]])
(x**2*cos(x) + 2*x*sin(x), -x**2*sin(x) + 4*x*cos(x) + 2*sin(x))
"""

from __future__ import annotations

from collections.abc import Sequence

import symengine
import sympy

from symgrad.calculus.convert import ToSympy

_FUNCTIONS = (sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.sinh, sympy.cosh, sympy.tanh)
_CONSTANTS = (sympy.pi, sympy.E)


def handles(expr) -> bool:
    """Whether ``expr`` is made only of what SymEngine differentiates exactly as SymPy does."""
    for node in sympy.preorder_traversal(expr):
        if node.is_Symbol or node.is_Rational or node in _CONSTANTS:
            continue
        if not isinstance(node, (sympy.Add, sympy.Mul, sympy.Pow, *_FUNCTIONS)):
            return False
    return True


def differentiate(expr, paths: Sequence[Sequence]) -> tuple:
    """The derivatives of ``expr`` along each path of symbols (``[[x], [x, y]]`` for f_x and f_xy).

    The expression crosses to SymEngine once; the results cross back through one converter, which
    puts in the caller's own symbols (their assumptions, real=True, do not survive the trip by
    themselves) and converts what the derivatives share once.
    """
    symbols = {s.name: s for s in expr.free_symbols}
    for path in paths:
        symbols.update((s.name, s) for s in path)
    to_sympy = ToSympy(symbols.values())
    fast = symengine.sympify(expr)
    done: dict[tuple, object] = {(): fast}

    def along(path: tuple):
        if path not in done:
            done[path] = along(path[:-1]).diff(symengine.Symbol(path[-1].name))
        return done[path]

    return tuple(to_sympy(along(tuple(path))) for path in paths)
