"""``symgrad diff`` and ``symgrad grad``."""

from __future__ import annotations

from typing import Annotated

import typer

from symgrad.cli.app import At, TextFormat, Timeout, Variables, command, expression_text
from symgrad.cli.explain import Explain
from symgrad.deadline import DEFAULT_TIMEOUT

Expr = Annotated[str, typer.Argument(help="The expression, e.g. '3*x**3-5*x**2+2'; - reads stdin.")]
Format = Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")]


@command(
    "diff",
    """Differentiate an expression, exactly, and evaluate the derivative at points.

    \b
    Example:
      symgrad diff "3*x**3-5*x**2+2" --at x=2
      (9*x**2 - 10*x, and 16 at x=2)

    With several variables name one with --wrt (repeat it for mixed partials).
    """,
    "Derivatives, exact and at points.",
)
def diff(
    expression: Expr,
    wrt: Annotated[
        list[str] | None, typer.Option(help="Differentiate by this variable; repeat for mixed partials.")
    ] = None,
    order: Annotated[int, typer.Option(help="Differentiate this many times.")] = 1,
    at: At = None,
    variables: Variables = None,
    output: Format = TextFormat.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    explain: Explain = False,
):
    from symgrad.analysis.derivatives import differentiate
    from symgrad.deadline import time_limit
    from symgrad.render import derivatives as views
    from symgrad.render import emit_json, show

    with time_limit(timeout):
        result = differentiate(
            expression_text(expression), wrt=wrt or (), order=order, at=at or (), variables=variables
        )
        if explain:
            from symgrad.cli.explain import show_derivative

            show_derivative(result, output)
        elif output is TextFormat.json:
            emit_json(views.derivative_json(result))
        elif output is TextFormat.latex:
            print(views.derivative_latex(result))
        else:
            show(views.derivative_view(result))


@command(
    "grad",
    """The gradient (all partial derivatives), exactly, with value, norm and direction at points.

    \b
    Example:
      symgrad grad "x**2+4*y**2" --at 1,2
      ([2*x, 8*y], and [2, 16] at x=1, y=2)

    --direction 1,1 adds the directional derivative ∇f·u, u the direction scaled to length 1.
    """,
    "Gradients: exact, at points, with norm and direction.",
)
def grad(
    expression: Expr,
    at: At = None,
    direction: Annotated[
        str | None,
        typer.Option(help="A direction such as 1,1 (one value per variable; normalised): adds ∇f·u."),
    ] = None,
    variables: Variables = None,
    output: Format = TextFormat.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    explain: Explain = False,
):
    from symgrad.analysis.derivatives import gradient
    from symgrad.deadline import time_limit
    from symgrad.render import derivatives as views
    from symgrad.render import emit_json, show

    with time_limit(timeout):
        result = gradient(expression_text(expression), at=at or (), variables=variables, direction=direction)
        if explain:
            from symgrad.cli.explain import show_gradient

            show_gradient(result, output)
        elif output is TextFormat.json:
            emit_json(views.gradient_json(result))
        elif output is TextFormat.latex:
            print(views.gradient_latex(result))
        else:
            show(views.gradient_view(result))
