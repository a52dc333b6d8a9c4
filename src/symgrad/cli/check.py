"""``symgrad check``: a gradient against finite differences, and against the user's own."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from symgrad.cli.app import Timeout, Variables, command, expression_text
from symgrad.deadline import DEFAULT_TIMEOUT

Expr = Annotated[str, typer.Argument(help="The expression, e.g. 'x**2+4*y**2'; - reads stdin.")]


class PlainFormat(StrEnum):
    text = "text"
    json = "json"


Plain = Annotated[PlainFormat, typer.Option("--format", "-f", help="Output format.")]


@command(
    "check",
    """Check a gradient at a point: the symbolic one against finite differences and, with
    --grad, your own hand-derived one (exit 1 when yours is wrong).

    \b
    Example:
      symgrad check "x**2*y" --at 1,2 --grad "2*x*y, x**2"
    """,
    "Check a gradient against finite differences.",
)
def check(
    expression: Expr,
    at: Annotated[str, typer.Option(help="The point: x=1,y=2 or 1,2 in variable order.")],
    grad: Annotated[
        str | None,
        typer.Option(help='Your gradient, one component per variable: "2*x*y, x**2".'),
    ] = None,
    variables: Variables = None,
    output: Plain = PlainFormat.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
):
    from symgrad.analysis.check import check_gradient, mismatch_error
    from symgrad.deadline import time_limit
    from symgrad.render import check as views
    from symgrad.render import emit_json, show

    with time_limit(timeout):
        result = check_gradient(expression_text(expression), at=at, grad=grad, variables=variables)
        if output is PlainFormat.json:
            emit_json(views.check_json(result))
        else:
            show(views.check_view(result))
    error = mismatch_error(result)
    if error is not None:
        raise error
