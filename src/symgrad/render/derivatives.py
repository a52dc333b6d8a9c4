"""Views of ``diff`` and ``grad`` results: Rich text, JSON and LaTeX."""

from __future__ import annotations

from itertools import groupby

import sympy
from rich.console import Group

from symgrad.analysis.derivatives import DerivativeResult, Direction, GradientResult
from symgrad.analysis.numeric import NumericGradient
from symgrad.calculus.values import Value
from symgrad.expression.floats import number
from symgrad.expression.points import format_point
from symgrad.expression.printing import superscript, to_latex, to_text
from symgrad.render import (
    NO_EXACT,
    decimal,
    exact_json,
    exact_maths,
    facts,
    json_number,
    maths,
    point_json,
    table,
)


def derivative_label(result: DerivativeResult) -> str:
    """``d/dx``, ``d²/dx²``, ``∂²/∂x∂y``: ``d`` for one variable, ``∂`` for partials."""
    d = "d" if len(result.function.variables) <= 1 else "∂"
    runs = [(symbol, len(list(group))) for symbol, group in groupby(result.wrt)]
    below = "".join(f"{d}{symbol}{superscript(count)}" for symbol, count in runs)
    return f"{d}{superscript(result.order)}/{below}"


def derivative_view(result: DerivativeResult):
    label = derivative_label(result)
    parts = [
        facts(
            [
                ("expression", maths(result.function.expr)),
                ("variables", ", ".join(result.function.names) or "none"),
                ("derivative", f"{label} = {maths(result.derivative)}"),
            ]
        )
    ]
    if result.evaluations:
        rows = [
            (format_point(e.point), exact_maths(e.value.exact), decimal(e.value.exact, e.value.numeric))
            for e in result.evaluations
        ]
        parts += ["", table(("at", "exact", "decimal"), rows)]
    return Group(*parts)


def derivative_json(result: DerivativeResult) -> dict:
    data = {
        "expression": to_text(result.function.expr),
        "variables": list(result.function.names),
        "wrt": [symbol.name for symbol in result.wrt],
        "order": result.order,
        "derivative": to_text(result.derivative),
        "latex": to_latex(result.derivative),
    }
    evaluations = [
        {
            "at": point_json(e.point),
            "value": exact_json(e.value.exact),
            "numeric": json_number(e.value.numeric),
        }
        for e in result.evaluations
    ]
    if len(evaluations) == 1:
        data.update(evaluations[0])
    elif evaluations:
        data["points"] = evaluations
    return data


def derivative_latex(result: DerivativeResult) -> str:
    left = to_latex(sympy.Derivative(result.function.expr, *result.wrt))
    lines = [f"{left} = {to_latex(result.derivative)}"]
    for e in result.evaluations:
        where = ", ".join(f"{to_latex(s)}={to_latex(v)}" for s, v in e.point.items())
        lines.append(f"\\left.{left}\\right|_{{{where}}} = {_latex_value(e.value)}")
    return "\n".join(lines)


def _vector(values) -> str:
    return "[" + ", ".join(values) + "]"


def gradient_view(result: GradientResult):
    names = result.function.names
    rows = [
        ("expression", maths(result.function.expr)),
        ("variables", f"{', '.join(names)} (the order of the vector)"),
        ("gradient", "∇f = " + _vector(maths(c) for c in result.gradient)),
    ]
    if result.direction is not None:
        rows += _direction_rows(result.direction)
    parts = [facts(rows)]
    for e in result.evaluations:
        rows = [
            (f"∂f/∂{name}", exact_maths(value.exact), decimal(value.exact, value.numeric))
            for name, value in zip(names, e.values)
        ]
        rows.append(("‖∇f‖", exact_maths(e.norm_exact), decimal(e.norm_exact, e.norm)))
        if e.directional is not None:
            directional = e.directional
            rows.append(
                ("∇f·u", exact_maths(directional.exact), decimal(directional.exact, directional.numeric))
            )
        if e.descent_direction is not None:
            direction = _vector(number(v, 6) for v in e.descent_direction)
        else:
            direction = "none: the gradient is zero (a critical point)"
        parts += [
            "",
            f"[bold]at {format_point(e.point)}[/bold]",
            table(("", "exact", "decimal"), rows),
            f"steepest descent direction −∇f/‖∇f‖ = {direction}",
        ]
    return Group(*parts)


def gradient_json(result: GradientResult) -> dict:
    data = {
        "expression": to_text(result.function.expr),
        "variables": list(result.function.names),
        "gradient": [to_text(c) for c in result.gradient],
        "latex": [to_latex(c) for c in result.gradient],
    }
    evaluations = [
        {
            "at": point_json(e.point),
            "value": [exact_json(v.exact) for v in e.values],
            "numeric": [json_number(v.numeric) for v in e.values],
            "norm": json_number(e.norm),
            "norm_exact": exact_json(e.norm_exact),
            "descent_direction": list(e.descent_direction) if e.descent_direction is not None else None,
        }
        for e in result.evaluations
    ]
    if result.direction is not None:
        data["direction"] = [float(u) for u in result.direction.unit]
        data["direction_normalised"] = result.direction.normalised
        data["directional_expression"] = to_text(result.direction.derivative)
        for e, entry in zip(result.evaluations, evaluations):
            entry["directional_derivative"] = exact_json(e.directional.exact)
            entry["directional_numeric"] = json_number(e.directional.numeric)
    if len(evaluations) == 1:
        data.update(evaluations[0])
    elif evaluations:
        data["points"] = evaluations
    return data


def _direction_rows(direction: Direction) -> list[tuple[str, str]]:
    """The unit vector u (saying whether it was normalised) and ∇f·u as an expression."""
    unit = _vector(maths(u) for u in direction.unit)
    if direction.normalised:
        given = ", ".join(maths(c) for c in direction.given)
        said = f"u = ({given})/‖({given})‖ = {unit} (normalised to length 1)"
    else:
        said = f"u = {unit} (already of length 1)"
    return [("direction", said), ("along u", "∇f·u = " + maths(direction.derivative))]


def gradient_latex(result: GradientResult) -> str:
    entries = r" \\ ".join(to_latex(c) for c in result.gradient)
    lines = [rf"\nabla f = \begin{{pmatrix}} {entries} \end{{pmatrix}}"]
    for e in result.evaluations:
        where = ", ".join(f"{to_latex(s)}={to_latex(v)}" for s, v in e.point.items())
        values = r" \\ ".join(_latex_value(v) for v in e.values)
        lines.append(rf"\left.\nabla f\right|_{{{where}}} = \begin{{pmatrix}} {values} \end{{pmatrix}}")
        if e.directional is not None:
            lines.append(rf"\left.\nabla f \cdot u\right|_{{{where}}} = {_latex_value(e.directional)}")
    if result.direction is not None:
        unit = r" \\ ".join(to_latex(u) for u in result.direction.unit)
        lines.insert(
            1,
            rf"u = \begin{{pmatrix}} {unit} \end{{pmatrix}}, \quad "
            rf"\nabla f \cdot u = {to_latex(result.direction.derivative)}",
        )
    return "\n".join(lines)


def _latex_value(value: Value) -> str:
    """The exact value in LaTeX, or its decimal where the exact one was too long to build."""
    return number(value.numeric) if value.exact is None else to_latex(value.exact)


def numeric_note(result: NumericGradient) -> str:
    """Why the values come without exact forms, and where they come from."""
    return f"exact: — ({result.reason}); numeric value from {result.method}"


def numeric_view(result: NumericGradient):
    """Partial derivatives at points as decimals, with ``—`` where the exact values would be."""
    d = "d" if len(result.function.variables) <= 1 else "∂"
    parts = [
        facts(
            [
                ("expression", maths(result.function.expr)),
                ("variables", ", ".join(result.function.names) or "none"),
            ]
        )
    ]
    for e in result.evaluations:
        rows = [(f"{d}f/{d}{s.name}", NO_EXACT, number(v)) for s, v in zip(result.wrt, e.values)]
        if result.is_gradient:
            rows.append(("‖∇f‖", NO_EXACT, number(e.norm)))
        parts += ["", f"[bold]at {format_point(e.point)}[/bold]", table(("", "exact", "decimal"), rows)]
        if result.is_gradient:
            direction = "none: the gradient is zero (a critical point)"
            if e.descent_direction is not None:
                direction = _vector(number(v, 6) for v in e.descent_direction)
            parts.append(f"steepest descent direction −∇f/‖∇f‖ = {direction}")
    parts += ["", numeric_note(result)]
    return Group(*parts)


def numeric_json(result: NumericGradient) -> dict:
    """As ``gradient_json`` (or ``derivative_json`` for one variable), exact fields null."""
    data = {
        "expression": to_text(result.function.expr),
        "variables": list(result.function.names),
        "gradient" if result.is_gradient else "derivative": None,
        "numeric_only": result.reason,
        "method": result.method,
    }
    one = not result.is_gradient
    evaluations = []
    for e in result.evaluations:
        entry = {"at": point_json(e.point)}
        if one:
            entry.update(value=None, numeric=json_number(e.values[0]))
        else:
            entry.update(
                value=[None] * len(e.values),
                numeric=[json_number(v) for v in e.values],
                norm=json_number(e.norm),
                norm_exact=None,
                descent_direction=list(e.descent_direction) if e.descent_direction is not None else None,
            )
        evaluations.append(entry)
    if len(evaluations) == 1:
        data.update(evaluations[0])
    elif evaluations:
        data["points"] = evaluations
    return data
