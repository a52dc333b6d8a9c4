"""Views of a Taylor polynomial: the text, JSON and LaTeX of ``symgrad taylor``."""

from __future__ import annotations

from collections.abc import Callable

import sympy
from rich.console import Group
from rich.text import Text

from symgrad.analysis.taylor import TaylorPolynomial
from symgrad.expression.points import format_point
from symgrad.expression.printing import to_latex, to_text
from symgrad.render import facts, maths, point_json


def lowest_first(model: TaylorPolynomial, write: Callable, minus: str = "−") -> str:
    """The terms f(a) + f′(a)·(x − a) + ... in that order, each written by ``write``."""
    if not model.terms:
        return "0"
    text = ""
    for term in model.terms:
        negative = bool(text) and _negative(term)
        part = write(_negated(term) if negative else term)
        if term.is_Add:  # (x − a) on its own, a term with coefficient 1
            part = f"({part})"
        text += f" {minus} {part}" if negative else (f" + {part}" if text else part)
    return text


def _negative(term) -> bool:
    """Whether the term's coefficient is negative: −2·(x + 1), −1/2."""
    coefficient = term.args[0] if term.is_Mul else term
    return bool(coefficient.is_number and coefficient.is_negative)


def _negated(term):
    if term.is_Mul:  # kept unevaluated, so (x − a) is not multiplied out
        coefficient, *powers = term.args
        return sympy.Mul(-coefficient, *powers, evaluate=False) if coefficient != -1 else sympy.Mul(*powers)
    return -term


_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _left(model: TaylorPolynomial) -> str:
    return f"T{str(model.order).translate(_SUBSCRIPT)}({', '.join(model.function.names)})"


def taylor_view(model: TaylorPolynomial):
    left = _left(model)
    return Group(
        facts(
            [
                ("expression", maths(model.function.expr)),
                ("variables", ", ".join(model.function.names)),
                ("at", format_point(model.point)),
                ("order", f"{model.order} ({model.name})"),
            ]
        ),
        "",
        Text(f"{left} = {lowest_first(model, maths)}"),
        Text(f"{' ' * len(left)} = {maths(model.polynomial)}"),
    )


def taylor_json(model: TaylorPolynomial) -> dict:
    return {
        "expression": to_text(model.function.expr),
        "variables": list(model.function.names),
        "at": point_json(model.point),
        "order": model.order,
        "polynomial": to_text(model.polynomial),
        "centred": lowest_first(model, to_text, "-"),
        "latex": to_latex(model.polynomial),
    }


def taylor_latex(model: TaylorPolynomial) -> str:
    names = ", ".join(to_latex(v) for v in model.function.variables)
    centred = lowest_first(model, to_latex, "-")
    return f"T_{{{model.order}}}({names}) = {centred} = {to_latex(model.polynomial)}"
