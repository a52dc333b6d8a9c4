"""``symgrad taylor``: the tangent line, the quadratic model and higher Taylor polynomials at a point."""

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
    point_option,
)
from symgrad.cli.output import Views, show_result
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit

Expr = expression_argument("x**3")


@command(
    "taylor",
    """The Taylor polynomial of f at a point: order 1 is the tangent line (or plane), order 2
    the quadratic model behind "lr < 2/L".

    \b
    Example:
      symgrad taylor "x**3" --at x=1 --order 2
      (1 + 3·(x − 1) + 3·(x − 1)², that is 3x² − 3x + 1)
    """,
    "Taylor polynomials: the tangent line, the quadratic model.",
)
def taylor(
    expression: Expr,
    *,
    at: point_option(),
    order: Annotated[
        int, typer.Option(help="The degree: 1 for the tangent line, 2 for the quadratic model.")
    ] = 2,
    variables: Variables = None,
    let: Definitions = None,
    output: format_option(Format.text, Format.json, Format.latex) = Format.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    plain: Plain = False,
    decimals: Decimals = False,
):
    # lazy: the core and its views load SymPy, which `symgrad --help` must not
    from symgrad.analysis.taylor import taylor as taylor_polynomial
    from symgrad.render import taylor as views

    with time_limit(timeout):
        model = taylor_polynomial(
            expression_text(expression), at=at, order=order, variables=variables, let=let or ()
        )
        show_result(
            model,
            output,
            Views(text=views.taylor_view, json=views.taylor_json, latex=views.taylor_latex),
            Style(plain, decimals),
        )
