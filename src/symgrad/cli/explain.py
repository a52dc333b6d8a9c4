"""``--explain`` for ``diff`` and ``grad``: derive step by step, then print the derivation."""

from __future__ import annotations

from typing import Annotated

import typer

from symgrad.cli.options import Format
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


def show_derivation(result, output: Format) -> None:
    """Print the derivation behind a ``diff`` result in the chosen format."""
    # lazy: the derivation and its views need SymPy, which `symgrad --help` must not load
    from symgrad.analysis.explain import explain_derivative
    from symgrad.render import derivatives, explain

    _check_format(output)
    views = Views(
        text=lambda steps: explain.derivative_explanation_view(steps, derivatives.derivative_view(result)),
        json=explain.derivative_explanation_json,
    )
    show_result(explain_derivative(result), output, views)


def show_gradient_derivation(result, output: Format) -> None:
    """Print one derivation per partial derivative of a ``grad`` result."""
    # lazy: as above
    from symgrad.analysis.explain import explain_gradient
    from symgrad.render import derivatives, explain

    _check_format(output)
    views = Views(
        text=lambda steps: explain.gradient_explanation_view(steps, derivatives.gradient_view(result)),
        json=explain.gradient_explanation_json,
    )
    show_result(explain_gradient(result), output, views)
