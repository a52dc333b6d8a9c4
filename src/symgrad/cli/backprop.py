"""``symgrad backprop``: the chain rule as a forward and a backward pass over a graph."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from symgrad.cli.app import Timeout, Variables, command, expression_text
from symgrad.deadline import DEFAULT_TIMEOUT


class Format(StrEnum):
    text = "text"
    json = "json"


@command(
    "backprop",
    """Backpropagation by hand: the computational graph, each node's value and its adjoint.

    \b
    Example:
      symgrad backprop "tanh(w*x + b)" --at w=0.5,x=2,b=0

    The forward pass computes every node's value; the backward pass sends ∂f/∂node back
    through the graph by the chain rule. The variables' adjoints are the gradient.
    """,
    "Backpropagation: the graph, forward values, adjoints.",
)
def backprop(
    expression: Annotated[str, typer.Argument(help="The expression, e.g. 'tanh(w*x + b)'; - reads stdin.")],
    at: Annotated[str, typer.Option(help="The point: w=0.5,x=2,b=0 or 0,0.5,2 in variable order.")],
    variables: Variables = None,
    output: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    dot: Annotated[
        Path | None,
        typer.Option(
            help="Also write the graph with values and adjoints as Graphviz to FILE; - prints it "
            "instead of the table (symgrad backprop ... --dot - | dot -Tpng > graph.png)."
        ),
    ] = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
):
    from symgrad.analysis.backprop import backpropagate
    from symgrad.deadline import time_limit
    from symgrad.errors import InputError
    from symgrad.render import backprop as views
    from symgrad.render import emit_json, show

    to_stdout = dot is not None and str(dot) == "-"
    if dot is not None and not to_stdout and not dot.parent.is_dir():
        raise InputError(f"--dot {dot}: there is no folder {dot.parent}; create it or choose another")
    with time_limit(timeout):
        result = backpropagate(expression_text(expression), at=at, variables=variables)
    if to_stdout:
        sys.stdout.write(views.backprop_dot(result))
        return
    if dot is not None:
        try:
            dot.write_text(views.backprop_dot(result), encoding="utf-8")
        except OSError as error:
            raise InputError(f"cannot write --dot {dot}: {error.strerror}") from None
    if output is Format.json:
        emit_json(views.backprop_json(result))
    else:
        show(views.backprop_view(result))
