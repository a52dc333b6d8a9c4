"""``--explain`` for ``diff`` and ``grad``: derive step by step, then print the derivation."""

from __future__ import annotations

from typing import Annotated

import typer

from symgrad.cli.options import MATHS, Format, Style
from symgrad.cli.output import Views, show_result
from symgrad.errors import InputError

Explain = Annotated[
    bool,
    typer.Option("--explain", help="Show the derivation step by step: which rule gives what."),
]


def _check_format(output: Format) -> None:
    # diff and grad offer LaTeX for their results, but a derivation has no LaTeX view.
    if output is Format.latex:
        raise InputError("--explain shows text or JSON: use --format text or --format json")


def show_derivatives(result, output: Format, *, explain: bool, style: Style = MATHS) -> None:
    """Print a ``diff`` or ``grad`` result, or with ``explain`` the derivation behind it."""
    # lazy: the derivations and their views need SymPy, which `symgrad --help` must not load
    from symgrad.analysis import explain as derive
    from symgrad.analysis.derivatives import DerivativeResult
    from symgrad.render import derivatives
    from symgrad.render import explain as derived

    if isinstance(result, DerivativeResult):
        own = Views(derivatives.derivative_view, derivatives.derivative_json, derivatives.derivative_latex)
        steps, view, json = (
            derive.explain_derivative,
            derived.derivative_explanation_view,
            derived.derivative_explanation_json,
        )
    else:
        own = Views(derivatives.gradient_view, derivatives.gradient_json, derivatives.gradient_latex)
        steps, view, json = (
            derive.explain_gradient,
            derived.gradient_explanation_view,
            derived.gradient_explanation_json,
        )
    if not explain:
        show_result(result, output, own, style)
        return
    _check_format(output)
    show_result(steps(result), output, Views(text=lambda s: view(s, own.text(result)), json=json), style)
