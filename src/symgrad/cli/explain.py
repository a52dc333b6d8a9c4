"""``--explain`` for ``diff`` and ``grad``: derive step by step, then print the derivation."""

from __future__ import annotations

from typing import Annotated

import typer

from symgrad.cli.app import TextFormat

Explain = Annotated[
    bool,
    typer.Option("--explain", help="Show the derivation step by step: which rule gives what."),
]


def _check_format(output: TextFormat) -> None:
    from symgrad.errors import InputError

    if output is TextFormat.latex:
        raise InputError("--explain shows text or JSON: use --format text or --format json")


def show_derivative(result, output: TextFormat) -> None:
    """Print the derivation behind a ``diff`` result in the chosen format."""
    from symgrad.analysis.explain import explain_derivative
    from symgrad.render import derivatives as views
    from symgrad.render import emit_json, explain, show

    _check_format(output)
    explanation = explain_derivative(result)
    if output is TextFormat.json:
        emit_json(explain.derivative_explanation_json(explanation))
    else:
        show(explain.derivative_explanation_view(explanation, views.derivative_view(result)))


def show_gradient(result, output: TextFormat) -> None:
    """Print one derivation per partial derivative of a ``grad`` result."""
    from symgrad.analysis.explain import explain_gradient
    from symgrad.render import derivatives as views
    from symgrad.render import emit_json, explain, show

    _check_format(output)
    explanations = explain_gradient(result)
    if output is TextFormat.json:
        emit_json(explain.gradient_explanation_json(explanations))
    else:
        show(explain.gradient_explanation_view(explanations, views.gradient_view(result)))
