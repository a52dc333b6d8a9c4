"""``symgrad hessian`` and ``symgrad critical``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from symgrad.cli.app import At, TextFormat, Timeout, Variables, command, expression_text
from symgrad.deadline import DEFAULT_TIMEOUT

Expr = Annotated[str, typer.Argument(help="The expression, e.g. 'x**2+4*y**2'; - reads stdin.")]
Format = Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")]


class PlainFormat(StrEnum):
    text = "text"
    json = "json"


Plain = Annotated[PlainFormat, typer.Option("--format", "-f", help="Output format.")]


@command(
    "hessian",
    """The Hessian (all second partial derivatives), exactly; at a point its eigenvalues,
    definiteness, condition number and the learning rates gradient descent can use there.

    \b
    Example:
      symgrad hessian "x**2+4*y**2" --at 1,2
      (diag(2, 8): positive definite, lr < 0.25)
    """,
    "The Hessian, its eigenvalues and what they mean for lr.",
)
def hessian(
    expression: Expr,
    at: At = None,
    variables: Variables = None,
    output: Format = TextFormat.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
):
    from symgrad.analysis.hessian import hessian
    from symgrad.deadline import time_limit
    from symgrad.render import emit_json, show
    from symgrad.render import hessian as views

    with time_limit(timeout):
        result = hessian(expression_text(expression), at=at or (), variables=variables)
        if output is TextFormat.json:
            emit_json(views.hessian_json(result))
        elif output is TextFormat.latex:
            print(views.hessian_latex(result))
        else:
            show(views.hessian_view(result))


@command(
    "critical",
    """Critical points (where the gradient is zero), each classified as minimum, maximum,
    saddle or inflection, with f there.

    \b
    Example:
      symgrad critical "x**3 - 3*x + y**2"
      (minimum at (1, 0), saddle at (-1, 0))
    """,
    "Critical points: minima, maxima, saddles.",
)
def critical(
    expression: Expr,
    variables: Variables = None,
    output: Plain = PlainFormat.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
):
    from symgrad.analysis.critical.points import critical_points
    from symgrad.deadline import time_limit
    from symgrad.render import emit_json, show
    from symgrad.render import hessian as views

    with time_limit(timeout):
        result = critical_points(expression_text(expression), variables=variables)
        if output is PlainFormat.json:
            emit_json(views.critical_json(result))
        else:
            show(views.critical_view(result))
