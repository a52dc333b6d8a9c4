"""How results look in a notebook: LaTeX between ``$$``, and HTML made from the terminal's own views."""

from __future__ import annotations

import html
import io

from rich.console import Console

from symgrad.descent.plan import DescentReport
from symgrad.expression.floats import number
from symgrad.render import maths, writing
from symgrad.render.descent import shown_steps, summary

# Wide enough for the step and comparison tables; a notebook scrolls a <pre> sideways when it must.
WIDTH = 120
_PRE = '<pre style="white-space: pre; font-family: monospace; line-height: 1.3">{code}</pre>'


_LATEX_SPECIALS = {c: "\\" + c for c in "_{}%&#$"}


def latex_text(text: str) -> str:
    """Plain words for ``\\text{...}``, with the characters LaTeX reads as commands escaped."""
    return "".join(_LATEX_SPECIALS.get(c, c) for c in text.replace("\\", "/"))


def latex_block(lines: list[str]) -> str:
    """Lines of LaTeX as one displayed block, each line centred under the last."""
    if len(lines) == 1:
        return f"$${lines[0]}$$"
    return "$$\\begin{gathered}" + " \\\\ ".join(lines) + "\\end{gathered}$$"


def view_html(renderable) -> str:
    """A Rich view as the HTML of a ``<pre>`` block, bold and colours kept, as the terminal shows it."""
    out = Console(record=True, file=io.StringIO(), width=WIDTH, highlight=False, color_system="truecolor")
    with writing():
        out.print(renderable)
    return out.export_html(inline_styles=True, code_format=_PRE)


def _cell(text: str, tag: str = "td") -> str:
    return f"<{tag}>{html.escape(text)}</{tag}>"


def steps_table(report: DescentReport, index: int) -> str:
    """Run ``index``'s steps as an HTML table, thinned as the terminal's table is (first and last rows,
    evenly spaced rows between), with a row saying where rows are left out."""
    run = report.runs[index]
    headers = ["step", *run.names, "f", "‖∇f‖"]
    rows = ["<tr>" + "".join(_cell(h, "th") for h in headers) + "</tr>"]
    previous = -1
    for k in shown_steps(run, None):
        if k > previous + 1:
            rows.append(f'<tr><td colspan="{len(headers)}">… {k - previous - 1} steps …</td></tr>')
        row = run.row(k)
        cells = [str(k), *(number(x) for x in row.point), number(row.value), number(row.gradient_norm, 6)]
        rows.append("<tr>" + "".join(_cell(cell) for cell in cells) + "</tr>")
        previous = k
    return "<table>" + "".join(rows) + "</table>"


def descent_html(report: DescentReport) -> str:
    """Each run: a heading, its steps as a table, and the terminal's summary of it."""
    with writing():
        function = maths(report.function.expr)
    parts = []
    for index in range(len(report.runs)):
        heading = f"{report.label(index)} on f = {function}"
        parts += [f"<h4>{html.escape(heading)}</h4>", steps_table(report, index)]
        parts.append(view_html(summary(report, index)))
    return "<div>" + "".join(parts) + "</div>"
