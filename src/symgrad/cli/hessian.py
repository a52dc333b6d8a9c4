"""``symgrad hessian`` and ``symgrad critical``."""

from __future__ import annotations

from symgrad.cli.app import command
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
from symgrad.cli.output import Views, show_result
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit

Expr = expression_argument("x**2+4*y**2")


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
    *,
    at: Points = None,
    variables: Variables = None,
    let: Definitions = None,
    output: format_option(Format.text, Format.json, Format.latex) = Format.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    plain: Plain = False,
    decimals: Decimals = False,
):
    # lazy: the core and its views load SymPy, which `symgrad --help` must not
    from symgrad.analysis.hessian import hessian
    from symgrad.render import hessian as views

    with time_limit(timeout):
        result = hessian(expression_text(expression), at=at or (), variables=variables, let=let or ())
        show_result(
            result,
            output,
            Views(text=views.hessian_view, json=views.hessian_json, latex=views.hessian_latex),
            Style(plain, decimals),
        )


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
    *,
    variables: Variables = None,
    let: Definitions = None,
    output: format_option(Format.text, Format.json) = Format.text,
    timeout: Timeout = DEFAULT_TIMEOUT,
    plain: Plain = False,
    decimals: Decimals = False,
):
    # lazy: as in hessian
    from symgrad.analysis.critical.points import critical_points
    from symgrad.render import hessian as views

    with time_limit(timeout):
        result = critical_points(expression_text(expression), variables=variables, let=let or ())
        shown = Views(text=views.critical_view, json=views.critical_json)
        show_result(result, output, shown, Style(plain, decimals))
