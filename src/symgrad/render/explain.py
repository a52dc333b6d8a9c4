"""Views of derivations (``diff --explain``, ``grad --explain``): a Rich tree per derivative, or JSON."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from rich.tree import Tree

from symgrad.analysis.explain import Explanation, Step
from symgrad.expression.printing import to_text
from symgrad.render import maths

_NAMES = {
    "variable": "variable rule",
    "general power": "general power rule (logarithmic differentiation)",
    "piecewise": "piecewise rule (max/min)",
    "chain through names": "chain rule through named quantities",
}


def rule_name(step: Step) -> str:
    """What the step is called: ``chain rule``, ``derivative of erf (known result)``..."""
    if step.rule == "known result":
        return f"derivative of {_function_name(step.expression)} (known result)"
    return _NAMES.get(step.rule, f"{step.rule} rule")


def _function_name(expr) -> str:
    func = getattr(expr, "func", None)
    return getattr(func, "__name__", None) or to_text(expr)


def step_note(step: Step, partial: bool = False, write=to_text) -> str:
    """The line under a step's formula: for the chain rule, which inner function is u.

    ``write`` prints expressions: ``to_text`` for JSON, ``maths`` for the text view.
    """
    if step.rule != "chain":
        return step.note
    outer = step.substeps[0]
    d = "∂" if partial else "d"
    return (
        f"let {outer.variable} = {write(step.inner)}; "
        f"{d}/{d}{step.variable} {write(outer.expression)} = "
        f"{write(outer.derivative)}·{d}{outer.variable}/{d}{step.variable}"
    )


def _label(step: Step, partial: bool, outer_of_chain: bool = False):
    d = "d" if outer_of_chain or not partial else "∂"
    label = Text.assemble(
        (rule_name(step), "bold"),
        f": {d}/{d}{step.variable} {maths(step.expression)} = {maths(step.derivative)}",
    )
    note = step_note(step, partial, maths)
    if note:
        label.append("\n" + note, style="italic")
    return label


def _grow(tree, step: Step, partial: bool) -> None:
    for i, sub in enumerate(step.substeps):
        outer_of_chain = step.rule == "chain" and i == 0
        branch = tree.add(_label(sub, partial and not outer_of_chain, outer_of_chain))
        _grow(branch, sub, partial and not outer_of_chain)


def explanation_tree(explanation: Explanation, partial: bool = False):
    """A Rich Tree whose root is the whole derivative and whose branches are the rules used."""
    tree = Tree(_label(explanation.step, partial), guide_style="dim")
    _grow(tree, explanation.step, partial)
    return tree


def tidy_line(explanation: Explanation, partial: bool = False):
    """The last step, where the rules' result is tidied into what diff prints; None if nothing changes."""
    if explanation.tidied is None:
        return None
    raw, tidied = maths(explanation.step.derivative), maths(explanation.tidied)
    if raw == tidied:
        return None
    return Text.assemble(("tidy up", "bold"), f": {raw} = {tidied}")


def _with_tidy_line(explanation: Explanation, partial: bool = False) -> list:
    line = tidy_line(explanation, partial)
    return [explanation_tree(explanation, partial)] + ([line] if line is not None else [])


def derivative_explanation_view(explanation: Explanation, result_view):
    """The derivation, its tidy-up, then the usual ``diff`` view (whose derivative line is the result)."""
    return Group(*_with_tidy_line(explanation), "", result_view)


def gradient_explanation_view(explanations, result_view):
    """One derivation per partial derivative, each saying what is held constant, then ``grad``."""
    parts = []
    for e in explanations:
        held = ", ".join(v.name for v in e.held_constant)
        heading = f"∂f/∂{e.variable}" + (f" ({held} held constant)" if held else "")
        parts += [f"[bold]{heading}[/bold]", *_with_tidy_line(e, partial=True), ""]
    return Group(*parts, result_view)


def step_json(step: Step, partial: bool = False) -> dict:
    data = {
        "rule": step.rule,
        "name": rule_name(step),
        "variable": step.variable.name,
        "expression": to_text(step.expression),
        "derivative": to_text(step.derivative),
    }
    note = step_note(step, partial)
    if note:
        data["note"] = note
    if step.inner is not None:
        data["inner"] = to_text(step.inner)
    data["substeps"] = [step_json(sub, partial) for sub in step.substeps]
    return data


def derivative_explanation_json(explanation: Explanation) -> dict:
    return _tidied_json(explanation, step_json(explanation.step))


def gradient_explanation_json(explanations) -> list:
    return [
        {
            "variable": e.variable.name,
            "held_constant": [v.name for v in e.held_constant],
            **_tidied_json(e, step_json(e.step, partial=True)),
        }
        for e in explanations
    ]


def _tidied_json(explanation: Explanation, data: dict) -> dict:
    """``derivative`` is the result diff prints; ``untidied``, when it differs, what the rules give."""
    if explanation.tidied is None:
        return data
    return {**data, "derivative": to_text(explanation.tidied), "untidied": data["derivative"]}
