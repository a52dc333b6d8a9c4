"""``symgrad backprop``: the chain rule as a forward and a backward pass over a graph."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from symgrad.cli.app import command
from symgrad.cli.options import (
    Decimals,
    Definitions,
    Format,
    Plain,
    Style,
    Timeout,
    Variables,
    expression_argument,
    expression_text,
    format_option,
    point_option,
)
from symgrad.cli.output import Views, show_result
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit
from symgrad.errors import InputError

Expr = expression_argument("tanh(w*x + b)")


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
    expression: Expr,
    *,
    at: point_option("w=0.5,x=2,b=0 or 0,0.5,2"),
    variables: Variables = None,
    let: Definitions = None,
    output: format_option(Format.text, Format.json) = Format.text,
    dot: Annotated[
        Path | None,
        typer.Option(
            help="Also write the graph with values and adjoints as Graphviz to FILE; - prints it "
            "instead of the table (symgrad backprop ... --dot - | dot -Tpng > graph.png)."
        ),
    ] = None,
    plot: Annotated[
        str | None,
        typer.Option(
            "--plot",
            help="Also draw the graph (values, adjoints, each edge's local derivative) to FILE "
            "(.png, .svg or .pdf; needs matplotlib, not Graphviz).",
        ),
    ] = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
    plain: Plain = False,
    decimals: Decimals = False,
):
    # lazy: the core and its views load SymPy, which `symgrad --help` must not
    from symgrad.analysis.backprop import backpropagate
    from symgrad.render import backprop as views

    to_stdout = dot is not None and str(dot) == "-"
    if dot is not None and not to_stdout and not dot.parent.is_dir():
        raise InputError(f"--dot {dot}: there is no folder {dot.parent}; create it or choose another")
    if plot is not None:
        from symgrad.pictures import figures  # lazy: matplotlib, only for --plot

        figures.output_format(plot, "--plot")
        figures.use_file_backend()
    with time_limit(timeout):
        result = backpropagate(expression_text(expression), at=at, variables=variables, let=let or ())
    if plot is not None:
        from symgrad.pictures.graph import graph_figure  # lazy: matplotlib, only for --plot

        figures.save_figure(graph_figure(result), plot)
    if to_stdout:
        sys.stdout.write(views.backprop_dot(result))
        return
    if dot is not None:
        try:
            dot.write_text(views.backprop_dot(result), encoding="utf-8")
        except OSError as error:
            raise InputError(f"cannot write --dot {dot}: {error.strerror}") from None
    show_result(
        result, output, Views(text=views.backprop_view, json=views.backprop_json), Style(plain, decimals)
    )
