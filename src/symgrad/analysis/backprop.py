"""Backpropagation on an expression's computational graph: forward values, backward adjoints.

The graph has one node per distinct sub-expression (a sub-expression used twice is one node with
two consumers, so its adjoint sums both paths). Nodes are variables, constants and operations:
``add``, ``mul``, ``pow`` and function applications. ``add`` and ``mul`` stay n-ary, as SymPy
holds them: ``a*b*c`` is one ``mul`` whose local derivative for each input is the product of the
others, which keeps the graph the size of the expression a learner typed.

As in micrograd, each operation knows its local derivatives (``_local``); the backward pass walks
the nodes in reverse topological order and adds ``adjoint(node) * local`` to each input's adjoint.

>>> result = backpropagate("tanh(w*x + b)", at="w=0.5,x=2,b=0")
>>> [round(g, 6) for g in result.gradient.values()]
[0.419974, 0.839949, 0.209987]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from symgrad import calculus
from symgrad.calculus.float_functions import sigmoid
from symgrad.errors import InputError, MathError
from symgrad.expression.points import format_point, read_point
from symgrad.expression.printing import to_text
from symgrad.expression.reading import Expression, read_expression


@dataclass(frozen=True)
class Node:
    """One node: its operation, the sub-expression it computes, its inputs' ids and both passes."""

    id: int
    op: str  # "var", "const", "add", "mul", "pow" or a function name ("tanh", "exp", "max", ...)
    expression: object  # sympy.Expr
    inputs: tuple[int, ...]
    value: float
    adjoint: float | None  # ∂f/∂(this node); None for constants, which nothing depends on
    local: tuple[float | None, ...] = ()  # ∂(this node)/∂(input k), the edge's factor in the chain rule


@dataclass(frozen=True)
class Backprop:
    function: Expression
    point: dict  # sympy.Symbol -> exact value
    nodes: tuple[Node, ...]  # in topological order: inputs before the nodes that use them
    value: float
    gradient: dict  # variable name -> float, in variable order


def build_graph(expr, variables) -> list[tuple[str, object, tuple[int, ...]]]:
    """``(op, expression, input ids)`` per node, topologically ordered; the variables come first."""
    nodes, index = [], {}
    for v in variables:
        index[v] = len(nodes)
        nodes.append(("var", v, ()))

    def visit(e) -> int:
        if e in index:
            return index[e]
        unary = _named_unary(e)
        if unary is not None:
            op, args = unary
        elif e.is_Symbol:  # unreachable for read_expression's variables; kept for direct callers
            op, args = "var", ()
        elif not e.free_symbols:
            op, args = "const", ()
        elif isinstance(e, sympy.Add):
            op, args = "add", e.as_ordered_terms()
        elif isinstance(e, sympy.Mul):
            op, args = "mul", e.as_ordered_factors()
        elif isinstance(e, sympy.Pow):
            op, args = "pow", e.args
        else:
            op, args = _op_name(e), e.args
        inputs = tuple(visit(a) for a in args)
        index[e] = len(nodes)
        nodes.append((op, e, inputs))
        return index[e]

    visit(expr)
    return nodes


def _named_unary(e):
    """relu(u) and softplus(u) as the one node a learner typed, not SymPy's Max(0, u) and
    log(1 + eˣ); None for anything else."""
    if isinstance(e, sympy.Max) and len(e.args) == 2 and sympy.S.Zero in e.args:
        (u,) = [a for a in e.args if a != 0]
        return "relu", (u,)
    if isinstance(e, sympy.log) and isinstance(e.args[0], sympy.Add) and len(e.args[0].args) == 2:
        one, power = sorted(e.args[0].args, key=lambda a: not a.is_Number)
        if one == 1 and isinstance(power, sympy.exp):
            return "softplus", power.args
    return None


_SHOWN = {"relu": sympy.Function("relu"), "softplus": sympy.Function("softplus")}


def as_typed(expr):
    """``expr`` with Max(0, u) and log(1 + eᵘ) shown as relu(u) and softplus(u), for views."""

    def named(e):
        unary = _named_unary(e)
        return unary is not None and unary[0] in _SHOWN

    def rename(e):
        op, (u,) = _named_unary(e)
        return _SHOWN[op](as_typed(u))

    return expr.replace(named, rename)


def _softplus(a: float) -> float:
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))  # log(1 + eᵃ) without overflow


def _op_name(e) -> str:
    return {"Abs": "abs", "Max": "max", "Min": "min"}.get(type(e).__name__, type(e).__name__)


# Function -> (forward, local derivative given the input a and the output y), in floats.
_UNARY = {
    "exp": (math.exp, lambda a, y: y),
    "log": (math.log, lambda a, y: 1 / a),
    "sin": (math.sin, lambda a, y: math.cos(a)),
    "cos": (math.cos, lambda a, y: -math.sin(a)),
    "tan": (math.tan, lambda a, y: 1 + y * y),
    "sinh": (math.sinh, lambda a, y: math.cosh(a)),
    "cosh": (math.cosh, lambda a, y: math.sinh(a)),
    "tanh": (math.tanh, lambda a, y: 1 - y * y),
    "asin": (math.asin, lambda a, y: 1 / math.sqrt(1 - a * a)),
    "acos": (math.acos, lambda a, y: -1 / math.sqrt(1 - a * a)),
    "atan": (math.atan, lambda a, y: 1 / (1 + a * a)),
    "asinh": (math.asinh, lambda a, y: 1 / math.sqrt(a * a + 1)),
    "acosh": (math.acosh, lambda a, y: 1 / math.sqrt(a * a - 1)),
    "atanh": (math.atanh, lambda a, y: 1 / (1 - a * a)),
    "abs": (abs, lambda a, y: math.copysign(1.0, a) if a else 0.0),
    "sigmoid": (sigmoid, lambda a, y: y * (1 - y)),  # σ′ = σ(1 − σ)
    # relu′ is the step, 1/2 at the kink as in descent; softplus′ = σ
    "relu": (lambda a: max(a, 0.0), lambda a, y: 1.0 if a > 0 else 0.0 if a < 0 else 0.5),
    "softplus": (_softplus, lambda a, y: sigmoid(a)),
}


def _forward(op: str, expr, values: list[float]) -> float:
    if op == "add":
        return math.fsum(values)
    if op == "mul":
        return math.prod(values)
    if op == "pow":
        return values[0] ** values[1]
    if op in _UNARY:
        return _UNARY[op][0](values[0])
    return _symbolic_value(expr.func(*_placeholders(len(values))), values)


def _local(op: str, expr, values: list[float], y: float, i: int) -> float:
    """∂(this node)/∂(input i), from the inputs' values and this node's value ``y``."""
    if op == "add":
        return 1.0
    if op == "mul":
        return math.prod(v for j, v in enumerate(values) if j != i)
    if op == "pow":
        a, b = values
        return b * a ** (b - 1) if i == 0 else y * math.log(a)
    if op in _UNARY:
        return _UNARY[op][1](values[0], y)
    # Functions without a float rule (sec, erf, gamma, max, atan2...): their symbolic derivative.
    args = _placeholders(len(values))
    return _symbolic_value(calculus.derivative(expr.func(*args), [args[i]]), values)


def _placeholders(n: int) -> list:
    return [sympy.Dummy(f"a{i}", real=True) for i in range(n)]


def _symbolic_value(expr, values: list[float]) -> float:
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    value = complex(expr.xreplace(dict(zip(symbols, map(sympy.Float, values)))).evalf(17))
    if value.imag:
        raise ValueError("not real")
    return value.real


def backpropagate(text: str, *, at: str, variables: str | None = None, let: Sequence[str] = ()) -> Backprop:
    """Forward and backward passes for ``text`` at the point ``at``."""
    function = read_expression(text, variables, let=let)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    point = read_point(function, at)
    graph = build_graph(function.expr, function.variables)

    values: list[float] = []
    for op, expr, inputs in graph:
        if op in ("var", "const"):
            value = _finite(_leaf_value, (expr, point), len(values), expr, point)
        else:
            args = [values[i] for i in inputs]
            value = _finite(_forward, (op, expr, args), len(values), expr, point)
        values.append(value)

    adjoints = [0.0] * len(graph)
    adjoints[-1] = 1.0
    needs = _depends_on_variables(graph)
    local: list[tuple] = [()] * len(graph)
    for node in reversed(range(len(graph))):
        op, expr, inputs = graph[node]
        args = [values[i] for i in inputs]
        if adjoints[node] == 0.0 and op not in ("var", "const"):
            # Nothing flows back through it (a relu that is off, a zero factor): its local
            # derivatives are shown where they exist, and a failing one stops nothing.
            local[node] = tuple(_local_or_none(op, expr, args, values[node], k) for k in range(len(inputs)))
            continue
        factors = []
        for k, i in enumerate(inputs):
            factor = None
            if needs[i]:
                factor = _finite(_local, (op, expr, args, values[node], k), node, expr, point, "backward")
                adjoints[i] += adjoints[node] * factor
            factors.append(factor)
        local[node] = tuple(factors)

    nodes = tuple(
        Node(n, op, expr, inputs, values[n], adjoints[n] if needs[n] else None, local[n])
        for n, (op, expr, inputs) in enumerate(graph)
    )
    gradient = {v.name: adjoints[n] for n, v in enumerate(function.variables)}
    return Backprop(function, point, nodes, values[-1], gradient)


def _local_or_none(op, expr, args, y, k) -> float | None:
    try:
        value = _local(op, expr, args, y, k)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return value if isinstance(value, float | int) and math.isfinite(value) else None


def _depends_on_variables(graph) -> list[bool]:
    needs: list[bool] = []
    for op, _, inputs in graph:
        needs.append(op == "var" or any(needs[i] for i in inputs))
    return needs


def _leaf_value(expr, point) -> float:
    return float(expr.xreplace(point).evalf(17))


def _finite(compute, args, node: int, expr, point, stage: str = "forward") -> float:
    """The float ``compute(*args)`` gives, or MathError naming the node where the pass breaks."""
    try:
        value = compute(*args)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        value = math.nan
    if isinstance(value, complex) or not math.isfinite(value):
        what = "value" if stage == "forward" else "local derivative"
        raise MathError(
            f"the {stage} pass fails at node {node}, {to_text(expr)}: its {what} is not a "
            f"finite real number at {format_point(point)}"
        )
    return value
