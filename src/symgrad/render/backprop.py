"""Views of a backpropagation: the node table, JSON and a Graphviz file."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from symgrad.analysis.backprop import Backprop, as_typed
from symgrad.expression.floats import number
from symgrad.expression.points import format_point
from symgrad.expression.printing import to_text
from symgrad.render import json_number, maths


def backprop_view(result: Backprop):
    """Forward values and adjoints per node, then the gradient read off the variables' adjoints."""
    table = Table(
        "id",
        "op",
        "expression",
        "inputs",
        "value",
        "adjoint ∂f/∂node",
        "local ∂node/∂input",
        box=None,
        padding=(0, 1),
        pad_edge=False,
        header_style="bold",
    )
    for node in result.nodes:
        table.add_row(
            str(node.id),
            node.op,
            Text(maths(as_typed(node.expression))),
            ", ".join(map(str, node.inputs)),
            number(node.value),
            number(node.adjoint),
            ", ".join(number(v) if v is not None else "-" for v in node.local),
        )
    names = result.function.names
    gradient = ", ".join(number(result.gradient[name]) for name in names)
    return Group(
        Text(f"f = {maths(as_typed(result.function.expr))} at {format_point(result.point)}"),
        Text("forward pass: values from the inputs up; backward pass: adjoints from f = 1 down"),
        "",
        table,
        "",
        Text(f"f = {number(result.value)}"),
        Text(f"∇f = [{gradient}]  (∂f/∂{', ∂f/∂'.join(names)})"),
    )


def backprop_json(result: Backprop) -> dict:
    return {
        "expression": to_text(result.function.expr),
        "variables": list(result.function.names),
        "at": {symbol.name: to_text(value) for symbol, value in result.point.items()},
        "value": json_number(result.value),
        "nodes": [
            {
                "id": node.id,
                "op": node.op,
                "expression": to_text(node.expression),
                "value": json_number(node.value),
                "adjoint": json_number(node.adjoint),
                "inputs": list(node.inputs),
                "local": [json_number(v) for v in node.local],
            }
            for node in result.nodes
        ],
        "gradient": {name: json_number(value) for name, value in result.gradient.items()},
    }


def backprop_dot(result: Backprop) -> str:
    """A Graphviz digraph: one box per node with its value and adjoint, edges from inputs to uses."""
    lines = [
        "digraph backprop {",
        "  rankdir=LR;",
        '  node [shape=box, fontname="monospace"];',
    ]
    for node in result.nodes:
        text = to_text(node.expression).replace("\\", "\\\\").replace('"', '\\"')
        head = text if node.op in ("var", "const") else f"{node.op}: {text}"
        label = f"n{node.id}  {head}\\nvalue = {number(node.value)}\\nadjoint = {number(node.adjoint)}"
        lines.append(f'  n{node.id} [label="{label}"];')
    for node in result.nodes:
        for source in node.inputs:
            lines.append(f"  n{source} -> n{node.id};")
    lines.append("}")
    return "\n".join(lines) + "\n"
