"""Views of ``hessian``, ``critical`` and ``check`` results: Rich text, JSON and LaTeX."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group

from symgrad.analysis.critical.classify import CriticalPoint
from symgrad.analysis.critical.points import CriticalResult, Family
from symgrad.analysis.hessian import Curvature, HessianResult
from symgrad.expression.floats import number
from symgrad.expression.points import format_point
from symgrad.expression.printing import to_latex, to_text
from symgrad.render import (
    exact_json,
    exact_maths,
    facts,
    json_number,
    markup_escape,
    maths,
    point_json,
    table,
)
from symgrad.render.matrix import Matrix


def _written(rows, write: Callable) -> list[list[str]]:
    """``write`` of every entry, each distinct entry written once: a Hessian is symmetric and most
    entries of a large one are the same few (0, 2, ...), and writing all n² of them took longer than
    computing them."""
    done: dict = {}

    def once(entry):
        try:
            return done[entry]
        except KeyError:
            done[entry] = text = write(entry)
            return text

    return [[once(entry) for entry in row] for row in rows]


def _numbers(values, digits: int = 6) -> str:
    return ", ".join(number(v, digits) for v in values)


# hessian


def curvature_rows(shape: Curvature) -> list[tuple[str, str]]:
    """Eigenvalues, definiteness and the gradient-descent step sizes they imply."""
    rows = [
        ("eigenvalues", _numbers(shape.eigenvalues, 12)),
        ("definiteness", shape.definiteness),
        (
            "condition number",
            "κ = " + number(shape.condition_number, 12)
            if shape.condition_number is not None
            else "none (an eigenvalue is zero)",
        ),
    ]
    if shape.lr_max_stable is not None:
        rows += [
            ("stable steps", f"lr < 2/λmax = {number(shape.lr_max_stable, 12)}"),
            ("best fixed lr", f"2/(λmin+λmax) = {number(shape.lr_best, 12)}"),
            (
                "convergence",
                f"the error shrinks by about (κ−1)/(κ+1) = "
                f"{number(shape.contraction, 6)} per step at the best lr",
            ),
        ]
    rows.append(("meaning", shape.explanation))
    return rows


def hessian_view(result: HessianResult):

    names = result.function.names
    parts = [
        facts(
            [
                ("expression", maths(result.function.expr)),
                ("variables", ", ".join(names) + " (the order of rows and columns)"),
            ]
        ),
        "",
        "[bold]Hessian ∇²f[/bold]",
        Matrix(names, _written(result.hessian, maths)),
    ]
    for e in result.evaluations:
        exact = _written(e.exact, exact_maths)
        decimal = _written(e.numeric, number)
        parts += ["", f"[bold]at {markup_escape(format_point(e.point))}[/bold]"]
        if all(v is None for row in e.exact for v in row):  # a matrix of dashes says nothing
            parts += ["decimal (the exact entries are too long to show):", Matrix(names, decimal)]
        else:
            parts.append(Matrix(names, exact))
            if decimal != exact:
                parts += ["decimal:", Matrix(names, decimal)]
        parts += ["", facts(curvature_rows(e.curvature))]
    return Group(*parts)


def hessian_json(result: HessianResult) -> dict:
    data = {
        "expression": to_text(result.function.expr),
        "variables": list(result.function.names),
        "hessian": _written(result.hessian, to_text),
        "latex": _latex_matrix(result.hessian),
    }
    evaluations = []
    for e in result.evaluations:
        shape = e.curvature
        evaluations.append(
            {
                "at": point_json(e.point),
                "value": _written(e.exact, exact_json),
                "numeric": [list(row) for row in e.numeric],
                "eigenvalues": list(shape.eigenvalues),
                "definiteness": shape.definiteness,
                "condition_number": json_number(shape.condition_number),
                "lr_max_stable": shape.lr_max_stable,
                "lr_best": shape.lr_best,
                "contraction": shape.contraction,
                "explanation": shape.explanation,
            }
        )
    if len(evaluations) == 1:
        data.update(evaluations[0])
    elif evaluations:
        data["points"] = evaluations
    return data


def _latex_matrix(rows, decimals=None) -> str:
    """A pmatrix of exact entries; an entry too long to build exactly is given by its decimal."""
    decimals = decimals or [[None] * len(row) for row in rows]
    written = _written(rows, lambda e: None if e is None else to_latex(e))
    body = r" \\ ".join(
        " & ".join(number(d) if text is None else text for text, d in zip(texts, numbers))
        for texts, numbers in zip(written, decimals)
    )
    return rf"\begin{{pmatrix}} {body} \end{{pmatrix}}"


def hessian_latex(result: HessianResult) -> str:
    lines = [rf"\nabla^2 f = {_latex_matrix(result.hessian)}"]
    for e in result.evaluations:
        where = ", ".join(f"{to_latex(s)}={to_latex(v)}" for s, v in e.point.items())
        lines.append(rf"\left.\nabla^2 f\right|_{{{where}}} = {_latex_matrix(e.exact, e.numeric)}")
    return "\n".join(lines)


# critical


def kind_label(point: CriticalPoint) -> str:
    c = point.classification
    if c.test == "sampling":
        return f"{c.kind} (by sampling)"
    if c.kind == "degenerate":
        return "degenerate (undecided)"
    return c.kind


def _why(point: CriticalPoint, one_variable: bool) -> str:
    c = point.classification
    if c.test == "second derivative":
        if one_variable:
            return f"f'' = {number(c.eigenvalues[0], 6)}"
        return f"eigenvalues of ∇²f: {_numbers(c.eigenvalues)}"
    return c.note


def _point_text(point: CriticalPoint) -> str:
    if point.exact:
        return format_point(point.point)
    return ", ".join(f"{s}≈{number(v, 9)}" for s, v in zip(point.point, point.numeric))


def critical_view(result: CriticalResult):

    names = result.function.names
    one = len(names) == 1
    gradient = (
        "f' = " + maths(result.gradient[0])
        if one
        else ("∇f = [" + ", ".join(maths(c) for c in result.gradient) + "]")
    )
    parts = [
        facts(
            [
                ("expression", maths(result.function.expr)),
                ("variables", ", ".join(names)),
                ("gradient", gradient),
            ]
        )
    ]
    if result.points:
        rows = []
        for p in result.points:
            f_value = maths(p.value) if p.exact else ""
            if not f_value or len(f_value) > _LONG_EXACT:  # CRootOf(...) thrice: the decimal says more
                f_value = number(p.value_numeric, 9)
            rows.append(
                (
                    _point_text(p) + ("" if p.exact else " (numeric)"),
                    _numbers(p.numeric, 9),
                    f_value,
                    kind_label(p),
                    _why(p, one),
                )
            )
        parts += ["", table(("critical point", "decimal", "f", "kind", "why"), rows)]
    elif not result.families and not result.flat:
        parts += [
            "",
            "no critical points: the gradient is never zero"
            + ("" if result.complete else " at any point found"),
        ]
    if result.flat:
        parts += ["", markup_escape(flat_text(result))]
    for family in result.families:
        parts += ["", markup_escape(family_text(family))]
    parts += ["", markup_escape(_completeness(result))]
    return Group(*parts)


def flat_text(result: CriticalResult) -> str:
    """Where ∇f is zero on whole regions, which no list of points can show."""
    names = result.function.names
    where = " and one through ".join(
        ", ".join(f"{n}≈{number(v, 4)}" for n, v in zip(names, point)) for point in result.flat
    )
    return (
        f"not isolated: ∇f is zero on a whole interval, line or region through {where}; every point "
        "of it is critical (not listed)"
    )


def family_text(family: Family) -> str:
    """``x = y (y any real number): f = 0; at x=0, y=0: minimum (by sampling: ...)``."""
    example = family.example
    if not family.solution:
        return "every point is critical (f is constant)"
    parameters = ", ".join(str(p) for p in family.parameters)
    domain = "any integer" if family.integer else "any real number"
    plural = "s" if len(family.parameters) > 1 else ""
    equations = ", ".join(f"{s} = {maths(v)}" for s, v in family.solution.items() if v != s)
    kind = example.classification.kind
    if example.classification.note:
        kind += f" ({example.classification.note})"
    return (
        f"infinitely many critical points: {equations} ({parameters} {domain}{plural}), where "
        f"f = {maths(family.value)}; at {format_point(example.point)} it is a {kind}"
    )


def _completeness(result: CriticalResult) -> str:
    if result.complete:
        return "complete: these are all the critical points (solved exactly)"
    return f"may be incomplete: {result.note}"


_LONG_EXACT = 40  # an exact f longer than this is shown as a decimal in the table (JSON keeps it)


def _criticalpoint_json(p: CriticalPoint) -> dict:
    c = p.classification
    return {
        "point": point_json(p.point),
        "numeric": list(p.numeric),
        "f": to_text(p.value),
        "f_numeric": json_number(p.value_numeric),
        "kind": c.kind,
        "test": c.test,
        "exact": p.exact,
        "eigenvalues": list(c.eigenvalues),
        "note": c.note,
    }


def critical_json(result: CriticalResult) -> dict:
    return {
        "expression": to_text(result.function.expr),
        "variables": list(result.function.names),
        "gradient": [to_text(c) for c in result.gradient],
        "points": [_criticalpoint_json(p) for p in result.points],
        "families": [
            {
                "solution": {s.name: to_text(v) for s, v in f.solution.items()},
                "parameters": [str(p) for p in f.parameters],
                "parameter_domain": "integers" if f.integer else "reals",
                "f": to_text(f.value),
                "example": _criticalpoint_json(f.example),
            }
            for f in result.families
        ],
        "complete": result.complete,
        "method": result.method,
        "note": result.note,
        "flat": [list(point) for point in result.flat],
    }


# check
