"""``symgrad diff`` and ``symgrad grad``."""

from __future__ import annotations

from typing import Annotated

import typer

from symgrad.cli.app import command
from symgrad.cli.explain import Explain, show_derivatives
from symgrad.cli.options import (
    Decimals,
    Definitions,
    Format,
    Plain,
    Points,
    Style,
    Timeout,
    Variables,
    expression_argument,
    expression_text,
    format_option,
)
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit
from symgrad.errors import TimeLimitError

Expr = expression_argument("3*x**3-5*x**2+2")


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
    *,
    wrt: Annotated[
        list[str] | None, typer.Option(help="Differentiate by this variable; repeat for mixed partials.")
    ] = None,
    order: Annotated[int, typer.Option(help="Differentiate this many times.")] = 1,
    at: Points = None,
    variables: Variables = None,
    let: Definitions = None,
    output: format_option(Format.text, Format.json, Format.latex) = Format.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    explain: Explain = False,
    plain: Plain = False,
    decimals: Decimals = False,
):
    # lazy: the core and its views load SymPy, which `symgrad --help` must not
    from symgrad.analysis.derivatives import differentiate

    text = expression_text(expression)
    try:
        with time_limit(timeout):
            result = differentiate(
                text, wrt=wrt or (), order=order, at=at or (), variables=variables, let=let or ()
            )
            show_derivatives(result, output, explain=explain, style=Style(plain, decimals))
    except TimeLimitError:
        if not at or explain or order != 1 or len(wrt or ()) > 1 or output is Format.latex:
            raise
        _numeric_fallback(text, output, timeout, at=at, wrt=wrt or (), variables=variables, let=let or ())


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
    *,
    at: Points = None,
    direction: Annotated[
        str | None,
        typer.Option(help="A direction such as 1,1 (one value per variable; normalised): adds ∇f·u."),
    ] = None,
    variables: Variables = None,
    let: Definitions = None,
    output: format_option(Format.text, Format.json, Format.latex) = Format.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    explain: Explain = False,
    plain: Plain = False,
    decimals: Decimals = False,
):
    # lazy: as in diff
    from symgrad.analysis.derivatives import gradient

    text = expression_text(expression)
    try:
        with time_limit(timeout):
            result = gradient(text, at=at or (), variables=variables, direction=direction, let=let or ())
            show_derivatives(result, output, explain=explain, style=Style(plain, decimals))
    except TimeLimitError:
        if not at or explain or direction is not None or output is Format.latex:
            raise
        _numeric_fallback(
            text, output, timeout, at=at, wrt=(), variables=variables, let=let or (), is_gradient=True
        )


def _numeric_fallback(text: str, output: Format, timeout: float, **inputs) -> None:
    """The derivatives at the points as numbers, marked so, when the exact path ran out of time.

    Automatic differentiation takes time in proportion to the expression, so it gets a limit of its
    own; where it cannot help (kinks, a value that does not exist) the time-limit error stands.
    """
    # lazy: as in diff
    from symgrad.analysis.numeric import numeric_derivatives
    from symgrad.cli.output import Views, show_result
    from symgrad.errors import SymgradError
    from symgrad.render.derivatives import numeric_json, numeric_view

    try:
        with time_limit(timeout):
            result = numeric_derivatives(text, **inputs)
    except SymgradError:
        raise TimeLimitError(
            f"gave up after {timeout:g} s: the computation took too long, and no numeric value "
            "could stand in for it; try a simpler expression or a longer --timeout"
        ) from None
    show_result(result, output, Views(numeric_view, numeric_json))
