"""Backpropagation as a picture: the computational graph drawn with matplotlib (no Graphviz).

Inputs on the left, f on the right. Each node shows what it computes and its forward value; its
adjoint ∂f/∂node sits under it; each edge carries its local derivative ∂node/∂input, the factor
the chain rule multiplies along that edge on the way back.

>>> from symgrad.analysis.backprop import backpropagate
>>> figure = graph_figure(backpropagate("tanh(w*x + b)", at="w=0.5,x=2,b=0"))
>>> len(figure.axes)
1
"""

from __future__ import annotations

from symgrad.analysis.backprop import Backprop, as_typed
from symgrad.expression.floats import number
from symgrad.pictures.figures import OKABE_ITO, new_figure, short

FORWARD, BACKWARD, EDGE = OKABE_ITO[0], OKABE_ITO[1], "0.35"
# How the local derivative of each operation reads, for the box of a node that applies it.
RULES = {
    "tanh": "1 − tanh²",
    "sigmoid": "σ(1 − σ)",
    "relu": "step",
    "softplus": "σ",
    "exp": "eᵘ",
    "log": "1/u",
    "sin": "cos u",
    "cos": "−sin u",
    "add": "1",
    "mul": "the other factors",
    "pow": "b·aᵇ⁻¹, aᵇ·ln a",
}
COLUMN_WIDTH, ROW_HEIGHT = 3.4, 1.6


def layout(result: Backprop) -> dict[int, tuple[float, float]]:
    """Each node's place. Inputs form the first column; every operation sits one column before its
    first use (as late as it can), so an edge rarely jumps over other boxes; within a column the
    boxes follow the height of their inputs, so edges rarely cross."""
    nodes = result.nodes
    consumers: dict[int, list[int]] = {n.id: [] for n in nodes}
    for node in nodes:
        for i in node.inputs:
            consumers[i].append(node.id)
    depth: dict[int, int] = {}
    for node in nodes:
        depth[node.id] = 1 + max((depth[i] for i in node.inputs), default=-1)
    column = {nodes[-1].id: depth[nodes[-1].id]}
    for node in reversed(nodes[:-1]):
        leaf = not node.inputs
        column[node.id] = 0 if leaf else min((column[c] for c in consumers[node.id]), default=1) - 1
    places: dict[int, tuple[float, float]] = {}
    for c in range(max(column.values()) + 1):
        ids = [n.id for n in nodes if column[n.id] == c]
        if c:
            ids.sort(key=lambda n: -sum(places[i][1] for i in nodes[n].inputs) / len(nodes[n].inputs))
        for row, n in enumerate(ids):
            places[n] = (c * COLUMN_WIDTH, ((len(ids) - 1) / 2 - row) * ROW_HEIGHT)
    return places


def _label(node) -> str:
    what = short(as_typed(node.expression), 22)
    head = what if node.op in ("var", "const") else f"{node.op}: {what}"
    rule = RULES.get(node.op)
    return f"{head}\n= {number(node.value, 4)}" + (f"\n(local ′: {rule})" if rule else "")


def graph_figure(result: Backprop, figure=None):
    """The graph with forward values in the boxes, adjoints under them, local derivatives on edges."""
    places = layout(result)
    columns = 1 + max(x for x, _ in places.values()) / COLUMN_WIDTH
    rows = max(sum(1 for x, _ in places.values() if x == c * COLUMN_WIDTH) for c in range(int(columns)))
    fig = figure or new_figure((max(6.0, 2.6 * columns), max(3.2, 1.25 * rows + 1.2)))
    ax = fig.add_subplot()
    ax.set_axis_off()
    boxes = {}
    for node in result.nodes:
        x, y = places[node.id]
        boxes[node.id] = ax.text(
            x,
            y,
            _label(node),
            ha="center",
            va="center",
            fontsize=8,
            color=FORWARD,
            bbox={"boxstyle": "round,pad=0.4", "fc": "#eef5fb", "ec": FORWARD},
            zorder=3,
        )
        if node.adjoint is not None:
            adjoint = f"∂f/∂· = {number(node.adjoint, 4)}"
            ax.text(x, y - 0.48, adjoint, ha="center", va="top", fontsize=8, color=BACKWARD, zorder=3)
    for node in result.nodes:
        for source, local in zip(node.inputs, node.local or (None,) * len(node.inputs)):
            _edge(ax, boxes[source], boxes[node.id], places[source], places[node.id], local)
    xs = [x for x, _ in places.values()]
    ys = [y for _, y in places.values()]
    ax.set_xlim(min(xs) - 1.5, max(xs) + 1.5)
    ax.set_ylim(min(ys) - 1.2, max(ys) + 0.9)
    ax.set_title(
        "blue: each node's forward value;  red: its adjoint ∂f/∂node;\n"
        "on each edge: the local derivative ∂node/∂input, the chain rule's factor on the way back",
        fontsize=8.5,
    )
    return fig


def _edge(ax, source, target, start, end, local) -> None:
    """An arrow from box to box (edge to edge, whatever their sizes), its local derivative midway."""
    ax.annotate(
        "",
        xy=(0, 0.5),
        xycoords=target,
        xytext=(1, 0.5),
        textcoords=source,
        arrowprops={"arrowstyle": "-|>", "color": EDGE, "lw": 1.0, "shrinkA": 4, "shrinkB": 4},
        zorder=1,
    )
    if local is not None:
        (x0, y0), (x1, y1) = start, end
        # Nearer the target than the middle: where two edges cross, their labels stay apart.
        ax.text(
            x0 + 0.62 * (x1 - x0),
            y0 + 0.62 * (y1 - y0),
            f"×{number(local, 4)}",
            ha="center",
            va="center",
            fontsize=7.5,
            color=EDGE,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
            zorder=2,
        )
