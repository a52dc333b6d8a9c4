"""Views of ``check`` results: the gradient against finite differences and against yours."""

from __future__ import annotations

from rich.console import Group

from symgrad.analysis.check import ELSEWHERE_POINTS, GradientCheck
from symgrad.expression.floats import number
from symgrad.expression.points import format_point
from symgrad.expression.printing import to_text
from symgrad.render import decimal, facts, json_number, markup_escape, maths, point_json, table


def _d(result: GradientCheck) -> str:
    return "∂" if len(result.components) > 1 else "d"


def check_view(result: GradientCheck):
    if result.point is None:
        return _everywhere_view(result)
    d = _d(result)
    steps = ", ".join(f"h={number(c.step, 3)}" for c in result.components)
    parts = [
        facts(
            [
                ("expression", maths(result.function.expr)),
                ("variables", ", ".join(result.function.names)),
                ("at", format_point(result.point)),
                (
                    "finite differences",
                    f"central, (f(x+h·eᵢ) − f(x−h·eᵢ))/(2h) with {steps} "
                    "(ε^(1/3)·max(1, |xᵢ|)); error O(h²): about h²·|f'''|/6 + ε·|f|/h",
                ),
            ]
        )
    ]
    rows = [
        (
            f"{d}f/{d}{c.name}",
            maths(c.symbolic),
            maths(c.value.exact),
            decimal(c.value.exact, c.value.numeric),
            number(c.finite_difference),
            _error(c.finite_difference, c.value.numeric),
            f"{c.expected_error:.1e}",
            "agrees" if c.fd_agrees else "DISAGREES (f may not be smooth here)",
        )
        for c in result.components
    ]
    headers = ("", "symbolic", "exact", "decimal", "finite diff.", "|difference|", "expected", "verdict")
    parts += ["", "[bold]symbolic gradient vs finite differences[/bold]", table(headers, rows)]
    if result.components[0].yours is not None:
        rows = [
            (
                f"{d}f/{d}{c.name}",
                maths(c.yours),
                maths(c.your_value.exact),
                maths(c.value.exact),
                f"{c.abs_error:.3g}",
                f"{c.rel_error:.3g}",
                _verdict(c),
            )
            for c in result.components
        ]
        headers = ("", "yours", "value", "true value", "abs error", "rel error", "verdict")
        parts += ["", "[bold]your gradient vs the true one[/bold]", table(headers, rows)]
    parts += ["", markup_escape(check_summary(result))]
    return Group(*parts)


def _everywhere_view(result: GradientCheck):
    """Without a point: each of the user's components against the true one, as functions."""
    d = _d(result)
    rows = [
        (f"{d}f/{d}{c.name}", maths(c.yours), maths(c.symbolic), _everywhere_verdict(c))
        for c in result.components
    ]
    return Group(
        facts(
            [
                ("expression", maths(result.function.expr)),
                ("variables", ", ".join(result.function.names)),
                ("at", "every point (no --at): yours and the true gradient compared as functions"),
            ]
        ),
        "",
        "[bold]your gradient vs the true one[/bold]",
        table(("", "yours", "true", "verdict"), rows),
        "",
        markup_escape(check_summary(result)),
    )


def _everywhere_verdict(c) -> str:
    if c.differs_at is not None:
        where = ", ".join(f"{k}={v:g}" for k, v in c.differs_at.items())
        return f"WRONG (differs at {where})"
    if c.decided == "exactly":
        return "correct (the difference simplifies to 0)"
    return f"correct at {ELSEWHERE_POINTS} random points (SymPy could not simplify the difference to 0)"


def _error(approximate: float | None, exact: float | None) -> str:
    if approximate is None or exact is None:
        return "-"
    return f"{abs(approximate - exact):.1e}"


def _verdict(c) -> str:
    if c.agrees is False:
        return "WRONG"
    if c.differs_at is not None:
        where = ", ".join(f"{k}={v:g}" for k, v in c.differs_at.items())
        return f"WRONG elsewhere (agrees here, not at {where})"
    return "correct"


def check_summary(result: GradientCheck) -> str:
    d = _d(result)
    lines = []
    if result.point is None:
        pass
    elif result.finite_differences_agree:
        lines.append("finite differences agree with the symbolic gradient to within their error.")
    else:
        bad = ", ".join(f"{d}f/{d}{c.name}" for c in result.components if not c.fd_agrees)
        lines.append(
            f"finite differences disagree in {bad}: f is probably not differentiable "
            "(or not smooth) at this point, so neither can be trusted there."
        )
    if result.components[0].yours is not None:
        if result.wrong:
            names = ", ".join(f"{i + 1} ({d}f/{d}{result.components[i].name})" for i in result.wrong)
            lines.append(
                f"your gradient is WRONG in component{'s' if len(result.wrong) > 1 else ''} {names}."
            )
        else:
            lines.append("your gradient is correct: it equals the true gradient.")
    return "\n".join(lines)


def check_json(result: GradientCheck) -> dict:
    components = []
    for c in result.components:
        value, yours = c.value, c.your_value
        entry = {
            "name": c.name,
            "symbolic": to_text(c.symbolic),
            "value": None if value is None else to_text(value.exact),
            "numeric": None if value is None else json_number(value.numeric),
            "h": c.step,
            "finite_difference": json_number(c.finite_difference),
            "fd_abs_error": None
            if c.finite_difference is None or value is None or value.numeric is None
            else abs(c.finite_difference - value.numeric),
            "fd_expected_error": c.expected_error,
            "fd_agrees": c.fd_agrees,
        }
        if c.yours is not None:
            entry.update(
                {
                    "yours": to_text(c.yours),
                    "your_value": None if yours is None else to_text(yours.exact),
                    "your_numeric": None if yours is None else json_number(yours.numeric),
                    "abs_error": json_number(c.abs_error),
                    "rel_error": json_number(c.rel_error),
                    "agrees": c.agrees and c.differs_at is None,
                    "differs_at": c.differs_at,
                }
            )
            if result.point is None:
                entry["decided"] = c.decided
        components.append(entry)
    return {
        "expression": to_text(result.function.expr),
        "variables": list(result.function.names),
        "at": None if result.point is None else point_json(result.point),
        "components": components,
        "finite_differences_agree": result.finite_differences_agree,
        "gradient_given": result.components[0].yours is not None,
        "wrong_components": [i + 1 for i in result.wrong],
        "ok": not result.wrong,
    }
