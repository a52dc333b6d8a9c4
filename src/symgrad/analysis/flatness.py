"""Why a gradient fades: the squashing function (σ, tanh, exp, ...) whose input sits on its flat part.

>>> from symgrad.expression.reading import read_expression
>>> faded_factor(read_expression("(sigmoid(w) - 0.5)**2"), (10.0,))
'it comes from the flat tail of σ: σ′(u) = σ(u)(1 − σ(u)) = 4.5e-05 at u = 10'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy

from symgrad.calculus.float_functions import sigmoid
from symgrad.expression.floats import number
from symgrad.expression.functions import sigmoid as logistic
from symgrad.expression.reading import Expression

# A local derivative below this on the way from a variable to f is what flattens the gradient.
FADED = 1e-2


def faded_factor(function: Expression, point: Sequence[float]) -> str | None:
    """Which part of f flattens the gradient: the smallest local derivative on the way to f."""
    values = dict(zip(function.variables, (sympy.Float(p) for p in point)))
    worst = None
    for node in sympy.preorder_traversal(function.expr):
        described = _saturation(node, values)
        if described is not None and (worst is None or described[0] < worst[0]):
            worst = described
    if worst is None or worst[0] >= FADED:
        return None
    return worst[1]


def _saturation(node, values: dict) -> tuple[float, str] | None:
    """(|local derivative|, words) for a squashing function whose input sits on its flat tail."""
    sigmoid_input = _sigmoid_input(node)
    if sigmoid_input is not None:
        u = float(sigmoid_input.xreplace(values))
        s = sigmoid(u)
        slope = s * (1 - s)
        return slope, (
            "it comes from the flat tail of σ: "
            f"σ′(u) = σ(u)(1 − σ(u)) = {number(slope, 2)} at u = {number(u, 4)}"
        )
    if not node.free_symbols or not isinstance(node, sympy.Function) or len(node.args) != 1:
        return None
    (argument,) = node.args
    u = sympy.Symbol("u", real=True)
    try:
        inner = float(argument.xreplace(values))
        slope = abs(float(sympy.diff(node.func(u), u).xreplace({u: sympy.Float(inner)})))
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(slope):
        return None
    name = node.func.__name__
    return slope, f"it comes from the flat part of {name}: {name}′ = {number(slope, 2)} at {number(inner, 4)}"


def _sigmoid_input(node):
    """u when ``node`` is σ(u), or 1/(1 + e^(−u)) written out; else None."""
    if isinstance(node, logistic):
        return node.args[0] if node.free_symbols else None
    if not (isinstance(node, sympy.Pow) and node.exp == -1 and isinstance(node.base, sympy.Add)):
        return None
    terms = node.base.args
    if len(terms) != 2 or sympy.S.One not in terms:
        return None
    (other,) = [term for term in terms if term != sympy.S.One]
    if isinstance(other, sympy.exp) and other.free_symbols:
        return -other.args[0]
    return None
