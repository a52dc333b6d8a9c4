"""Views of ``descend`` runs: the step table, the summary, a comparison table, JSON and CSV."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterator

from rich.console import Group
from rich.table import Table

from symgrad.descent.plan import DescentReport
from symgrad.descent.trajectory import Trajectory
from symgrad.expression.printing import number, to_text
from symgrad.render import json_number, markup_escape, show

TABLE_LIMIT = 40  # rows shown in full up to this many
EDGE = 10  # rows kept at each end of a longer run
DIVERGED_LIMIT = 1000  # a diverged run shows every step taken up to this many
GRADIENT_COLUMNS_LIMIT = 4  # above this many variables only ‖∇f‖ is shown
_BARS = "▁▂▃▄▅▆▇█"


def shown_steps(run: Trajectory, every: int | None) -> list[int]:
    """Which rows to show: all, every K-th (and the last), or the first and last 10 with a sample between.

    A diverged run shows every step it took (up to DIVERGED_LIMIT): how it blew up is the lesson.
    """
    count = len(run)
    if every:
        return sorted(set(range(0, count, every)) | {count - 1})
    if count <= (DIVERGED_LIMIT if run.diverged else TABLE_LIMIT):
        return list(range(count))
    middle = TABLE_LIMIT - 2 * EDGE
    inner = [EDGE - 1 + round((i + 1) * (count - 2 * EDGE + 1) / (middle + 1)) for i in range(middle)]
    return sorted(set(range(EDGE)) | set(inner) | set(range(count - EDGE, count)))


def sparkline(values, width: int = 40) -> str:
    """f per step as a row of bars (log-scaled when f spans orders of magnitude)."""
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < 2:
        return ""
    if len(finite) > width:
        finite = [finite[round(i * (len(finite) - 1) / (width - 1))] for i in range(width)]
    low, high = min(finite), max(finite)
    if high - low <= 1e-12 * max(1.0, abs(high)):
        return _BARS[0] * len(finite)
    shifted = [v - low for v in finite]
    top = high - low
    if top / max(min(s for s in shifted if s > 0), 1e-300) > 1e3:
        tiny = top * 1e-12
        shifted = [math.log10(s + tiny) - math.log10(tiny) for s in shifted]
        top = math.log10(top + tiny) - math.log10(tiny)
    return "".join(_BARS[min(len(_BARS) - 1, int(s / top * len(_BARS)))] for s in shifted)


def _gradient_columns(run: Trajectory) -> bool:
    return run.dimension <= GRADIENT_COLUMNS_LIMIT


def step_table(run: Trajectory, every: int | None):

    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    table.add_column("step", justify="right")
    for name in run.names:
        table.add_column(name, justify="right")
    table.add_column("f", justify="right")
    if _gradient_columns(run):
        for name in run.names:
            table.add_column(f"∂f/∂{name}", justify="right")
    table.add_column("‖∇f‖", justify="right")
    for k in shown_steps(run, every):
        row = run.row(k)
        cells = [str(k), *(number(x, 10) for x in row.point), number(row.value, 10)]
        if _gradient_columns(run):
            cells += [number(g, 8) for g in row.gradient]
        table.add_row(*cells, number(row.gradient_norm, 6))
    return table


def _hyperparameters(run: Trajectory) -> str:
    parts = [f"lr={number(run.learning_rate)}"]
    parts += [f"{name}={number(value)}" for name, value in run.hyperparameters.items()]
    if run.schedule is not None and not run.schedule.is_constant:
        parts.append(f"schedule {run.schedule.description}")
    if run.clip is not None:
        parts.append(f"clip ‖∇f‖ to {number(run.clip)}")
    if run.maximize:
        parts.append("maximizing")
    return ", ".join(parts)


def _point_text(names, point) -> str:
    return ", ".join(f"{name}={number(x, 10)}" for name, x in zip(names, point))


def summary(report: DescentReport, index: int):

    run = report.runs[index]
    final = run.final
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    colour = {"converged": "green", "max_steps": "yellow", "diverged": "red"}[run.status]
    facts.add_row("status", f"[{colour}]{markup_escape(run.reason)}[/]")
    facts.add_row(
        "final",
        markup_escape(
            f"{_point_text(run.names, final.point)}; f = {number(final.value)}; "
            f"‖∇f‖ = {number(final.gradient_norm)}"
        ),
    )
    rate = report.steps_per_second(index)
    if rate is not None:
        facts.add_row("speed", f"{rate:,.0f} steps/s")
    curve = sparkline(run.values)
    if curve:
        facts.add_row("loss", f"{curve}  f from {number(run.values[0], 6)} to {number(final.value, 6)}")
    for warning in run.warnings:
        facts.add_row("[yellow]warning[/]", markup_escape(warning))
    if run.advice:
        facts.add_row("[red]advice[/]", markup_escape(run.advice))
    return facts


def run_view(report: DescentReport, every: int | None, summary_only: bool):

    run = report.runs[0]
    heading = (
        f"[bold]{run.optimizer}[/] on f = {markup_escape(to_text(report.function.expr))} "
        f"({markup_escape(_hyperparameters(run))})"
    )
    parts = [heading, ""]
    if not summary_only:
        parts += [step_table(run, every), ""]
        hidden = len(run) - len(shown_steps(run, every))
        if hidden > 0 and not every:
            parts += [
                f"{hidden} of {len(run)} rows hidden (the first and last {EDGE} are shown, evenly spaced "
                "rows between): see them with --every K, or all with --format csv or json",
                "",
            ]
    parts.append(summary(report, 0))
    return Group(*parts)


def comparison_view(report: DescentReport):

    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    for header in ("optimizer", "status", "steps", "final f", "final ‖∇f‖", "final point", "loss"):
        table.add_column(header, justify="right" if header.startswith(("steps", "final f")) else "left")
    for run in report.runs:
        final = run.final
        table.add_row(
            run.optimizer,
            run.status,
            str(len(run) - 1),
            number(final.value, 8),
            number(final.gradient_norm, 4),
            markup_escape(_point_text(run.names, final.point)),
            sparkline(run.values, 20),
        )
    notes = [
        f"[bold]{run.optimizer}[/]: {markup_escape(message)}"
        for run in report.runs
        for message in (*run.warnings, *([run.advice] if run.advice else []))
    ]
    start = _point_text(report.function.names, report.start)
    lr = report.runs[0].learning_rate
    heading = f"f = {markup_escape(to_text(report.function.expr))} from {start}, lr={number(lr)}"
    return Group(heading, "", table, *([""] + notes if notes else []))


def _rows(run: Trajectory, every: int | None):
    steps = shown_steps(run, every) if every else range(len(run))
    return (run.row(k) for k in steps)


def _step_json(row) -> dict:
    return {
        "step": row.step,
        "point": [json_number(x) for x in row.point],
        "f": json_number(row.value),
        "gradient": [json_number(g) for g in row.gradient],
        "grad_norm": json_number(row.gradient_norm),
    }


def _run_json(report: DescentReport, index: int, steps) -> dict:
    run = report.runs[index]
    final = run.final
    return {
        "expression": to_text(report.function.expr),
        "variables": list(run.names),
        "optimizer": run.optimizer,
        "lr": run.learning_rate,
        "hyperparameters": run.hyperparameters,
        "schedule": run.schedule.text if run.schedule is not None else None,
        "clip": run.clip,
        "maximize": run.maximize,
        "tol": run.tol,
        "max_steps": run.step_limit,
        "start": list(report.start),
        "status": run.status,
        "reason": run.reason,
        "iterations": len(run) - 1,
        "steps": steps,
        "final": {
            "point": [json_number(x) for x in final.point],
            "f": json_number(final.value),
            "grad_norm": json_number(final.gradient_norm),
        },
        "warnings": list(run.warnings) + ([run.advice] if run.advice else []),
        "suggested_lr": run.suggested_learning_rate,
    }


def run_json(report: DescentReport, index: int, every: int | None) -> dict:
    """One run as JSON, every shown step included."""
    steps = [_step_json(row) for row in _rows(report.runs[index], every)]
    return _run_json(report, index, steps)


def report_json(report: DescentReport, every: int | None) -> dict:
    runs = [run_json(report, i, every) for i in range(len(report.runs))]
    return runs[0] if len(runs) == 1 else {"runs": runs}


_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)


def write_json(report: DescentReport, every: int | None) -> None:
    """Print ``report_json`` as ``emit_json`` would, one step at a time: a run of millions of steps
    never exists as one list of dicts (which took gigabytes) nor as one string."""
    runs = [_run_json(report, i, map(_step_json, _rows(run, every))) for i, run in enumerate(report.runs)]
    _write(runs[0] if len(runs) == 1 else {"runs": runs}, sys.stdout, "")
    sys.stdout.write("\n")


def _write(value, out, indent: str, *, whole: bool = False) -> None:
    """Write ``value`` as ``json.dumps(value, indent=2)`` lays it out at ``indent``, taking the items
    of an iterator one at a time and dumping each of them ``whole``."""
    if whole or not isinstance(value, (dict, list, Iterator)):
        out.write(_ENCODER.encode(value).replace("\n", "\n" + indent))
        return
    if isinstance(value, dict):
        pairs, brackets = ((_ENCODER.encode(key) + ": ", item) for key, item in value.items()), "{}"
    else:
        pairs, brackets = (("", item) for item in value), "[]"
    inner, opening = indent + "  ", brackets[0]
    for prefix, item in pairs:
        out.write(f"{opening}\n{inner}{prefix}")
        _write(item, out, inner, whole=isinstance(value, Iterator))
        opening = ","
    out.write(brackets if opening == brackets[0] else f"\n{indent}{brackets[1]}")


def write_csv(report: DescentReport, every: int | None) -> None:
    """One row per step; with several optimizers a first column names the optimizer."""
    names = report.function.names
    several = len(report.runs) > 1
    writer = csv.writer(sys.stdout, lineterminator="\n")
    header = ["step", *names, "f", *(f"grad_{name}" for name in names), "grad_norm"]
    writer.writerow((["optimizer"] if several else []) + header)
    for run in report.runs:
        for row in _rows(run, every):
            cells = [
                row.step,
                *map(repr, row.point),
                repr(row.value),
                *map(repr, row.gradient),
                repr(row.gradient_norm),
            ]
            writer.writerow(([run.optimizer] if several else []) + cells)


def write_report(report: DescentReport, output: str, *, every: int | None, summary: bool) -> None:
    """Print the report in ``output`` format: "json", "csv", or "text" (a table, or a comparison)."""
    if output == "json":
        write_json(report, every)
    elif output == "csv":
        write_csv(report, every)
    elif len(report.runs) > 1:
        show(comparison_view(report))
    else:
        show(run_view(report, every, summary))
