"""``symgrad check``: a gradient against finite differences, and against the user's own."""

from __future__ import annotations

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
)
from symgrad.cli.output import Views, show_result
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit

Expr = expression_argument("x**2+4*y**2")


@command(
    "check",
    """Check a gradient at a point: the symbolic one against finite differences and, with
    --grad, your own hand-derived one (exit 1 when yours is wrong). Without --at, --grad is
    compared with the true gradient everywhere.

    \b
    Example:
      symgrad check "x**2*y" --at 1,2 --grad "2*x*y, x**2"
    """,
    "Check a gradient against finite differences.",
)
def check(
    expression: Expr,
    *,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="The point: x=1,y=2 or 1,2 in variable order. Without it, --grad is compared with the "
            "true gradient everywhere.",
        ),
    ] = None,
    grad: Annotated[
        str | None,
        typer.Option(help='Your gradient, one component per variable: "2*x*y, x**2".'),
    ] = None,
    variables: Variables = None,
    let: Definitions = None,
    output: format_option(Format.text, Format.json) = Format.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    plain: Plain = False,
    decimals: Decimals = False,
):
    # lazy: the core and its views load SymPy, which `symgrad --help` must not
    from symgrad.analysis.check import check_gradient, mismatch_error
    from symgrad.render import check as views

    with time_limit(timeout):
        result = check_gradient(
            expression_text(expression), at=at, grad=grad, variables=variables, let=let or ()
        )
        show_result(
            result, output, Views(text=views.check_view, json=views.check_json), Style(plain, decimals)
        )
    error = mismatch_error(result)
    if error is not None:
        raise error
