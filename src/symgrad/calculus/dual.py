"""Forward-mode automatic differentiation: a value and its gradient at a point, with no derivative formula.

Each node of the expression tree carries its float value and the vector of its partial derivatives,
built from its children by the rules of calculus (sum, product, power, chain). The work grows with the
size of the expression, never with the size of a derivative's formula, so it answers where the symbolic
path runs out of time.

>>> import sympy
>>> x, y = sympy.symbols("x y", real=True)
>>> value_and_gradient(x**2 * sympy.sin(y), [x, y], {x: 2, y: 0})
(0.0, (0.0, 4.0))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import cache

import sympy

from symgrad.calculus.compile import compile_function
from symgrad.errors import MathError, UndefinedValueError

_FLOAT_FAILURES = (ValueError, ZeroDivisionError, OverflowError, TypeError)


def value_and_gradient(expr, variables: Sequence, point: dict) -> tuple[float, tuple[float, ...]]:
    """f and (∂f/∂v1, ∂f/∂v2, ...) at ``point`` in floats; UndefinedValueError where one has no value."""
    seeds = {v: (float(point[v]), _unit(i, len(variables))) for i, v in enumerate(variables)}
    done: dict = {}
    try:
        value, gradient = _dual(expr, seeds, done, len(variables))
    except _FLOAT_FAILURES as error:
        raise UndefinedValueError(f"no numeric value at this point ({error})") from None
    if not (math.isfinite(value) and all(math.isfinite(g) for g in gradient)):
        raise UndefinedValueError("the value or a partial derivative is not finite at this point")
    return value, tuple(gradient)


def _unit(i: int, n: int) -> tuple[float, ...]:
    return tuple(1.0 if j == i else 0.0 for j in range(n))


def _dual(node, seeds: dict, done: dict, n: int) -> tuple[float, tuple[float, ...]]:
    """The value and gradient of ``node``; ``done`` keeps shared subexpressions from being redone."""
    if node in done:
        return done[node]
    if node.is_Symbol:
        result = seeds.get(node) or (_number(node), (0.0,) * n)
    elif node.is_number and not node.has(sympy.Symbol):
        result = (_number(node), (0.0,) * n)
    elif isinstance(node, sympy.Add):
        parts = [_dual(a, seeds, done, n) for a in node.args]
        result = (math.fsum(p[0] for p in parts), tuple(map(math.fsum, zip(*(p[1] for p in parts)))))
    elif isinstance(node, sympy.Mul):
        result = _product([_dual(a, seeds, done, n) for a in node.args])
    elif isinstance(node, sympy.Pow):
        result = _power(_dual(node.base, seeds, done, n), node.exp, seeds, done, n)
    elif isinstance(node, sympy.Function) and len(node.args) == 1:
        u, du = _dual(node.args[0], seeds, done, n)
        value, slope = _compiled(node.func)
        derivative = float(slope((u,)))
        result = (float(value((u,))), tuple(derivative * d for d in du))
    else:
        raise MathError(f"no numeric derivative for {type(node).__name__}")
    done[node] = result
    return result


def _number(node) -> float:
    value = complex(node.evalf(30))
    if value.imag:
        raise ValueError("a complex value")
    return value.real


def _product(parts: list) -> tuple[float, tuple[float, ...]]:
    value, gradient = parts[0]
    for v, g in parts[1:]:
        value, gradient = value * v, tuple(a * v + value * b for a, b in zip(gradient, g))
    return value, gradient


def _power(base: tuple, exponent, seeds: dict, done: dict, n: int) -> tuple[float, tuple[float, ...]]:
    u, du = base
    if exponent.is_number:
        k = _number(exponent)
        value = u**k
        if isinstance(value, complex):
            raise ValueError("a negative base to a fractional power")
        slope = k * u ** (k - 1) if k != 0 else 0.0
        return value, tuple(slope * d for d in du)
    v, dv = _dual(exponent, seeds, done, n)
    value = u**v  # d(u^v) = u^v (v' log u + v u'/u)
    if isinstance(value, complex):
        raise ValueError("a negative base to a variable power")
    return value, tuple(value * (b * math.log(u) + v * a / u) for a, b in zip(du, dv))


@cache
def _compiled(function) -> tuple[Callable, Callable]:
    """A one-argument function and its derivative, compiled to floats once per kind (tanh, sigmoid...)."""
    u = sympy.Dummy("u", real=True)
    return compile_function(function(u), [u]), compile_function(function(u).diff(u), [u])
