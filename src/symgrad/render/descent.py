"""Views of ``descend`` runs for people: the step table or the worked steps, the summary with its
verdict, and a comparison table of several runs. JSON and CSV are in ``descent_data``.

Tables fit the screen: on a terminal narrower than a table, numbers lose digits (never their
exponent) before anything is cut.
"""

from __future__ import annotations

import math

from rich.console import Group
from rich.table import Table

from symgrad.descent.plan import DescentReport
from symgrad.descent.trajectory import Trajectory
from symgrad.descent.work import Formulas, worked_steps
from symgrad.expression.floats import number
from symgrad.render import console, markup_escape, maths, show
from symgrad.render.descent_data import write_csv, write_json

TABLE_LIMIT = 40  # rows shown in full up to this many
EDGE = 10  # rows kept at each end of a longer run
GRADIENT_COLUMNS_LIMIT = 4  # above this many variables only ‖∇f‖ is shown
_BARS = "▁▂▃▄▅▆▇█"
# A loss curve whose positive values span more than this factor is drawn on a log scale.
LOG_SPAN = 1e3


def shown_steps(run: Trajectory, every: int | None) -> list[int]:
    """Which rows to show: all, every K-th (and the last), or the first and last 10 with a sample between.

    A diverged run is thinned the same way: its last rows, where it blew up, are always shown. A run
    that kept only some of its rows (descent/record.py) shows the kept rows nearest to these.
    """
    count = len(run)
    if every:
        wanted = sorted(set(range(0, count, every)) | {count - 1})
    elif count <= TABLE_LIMIT:
        wanted = list(range(count))
    else:
        middle = TABLE_LIMIT - 2 * EDGE
        inner = [EDGE - 1 + round((i + 1) * (count - 2 * EDGE + 1) / (middle + 1)) for i in range(middle)]
        wanted = sorted(set(range(EDGE)) | set(inner) | set(range(count - EDGE, count)))
    return sorted({run.nearest_kept(k) for k in wanted})


# --- loss curves ----------------------------------------------------------------------------------


def loss_scale(*curves) -> tuple[bool, float, float] | None:
    """One scale for the loss curves: (log, low, high), on log f when every f is positive and spans
    more than LOG_SPAN, else linear; None when there is nothing to draw."""
    finite = [v for values in curves for v in values if math.isfinite(v)]
    if len(finite) < 2:
        return None
    low, high = min(finite), max(finite)
    if low > 0 and high / low > LOG_SPAN:
        return True, math.log10(low), math.log10(high)
    return False, low, high


def sparkline(values, width: int = 40, scale: tuple[bool, float, float] | None = None) -> str:
    """f per step as a row of bars on ``scale`` (by default the curve's own, from ``loss_scale``)."""
    scale = scale or loss_scale(values)
    finite = [v for v in values if math.isfinite(v)]
    if scale is None or len(finite) < 2:
        return ""
    if len(finite) > width:
        finite = [finite[round(i * (len(finite) - 1) / (width - 1))] for i in range(width)]
    log, low, high = scale
    heights = [math.log10(v) if log else v for v in finite]
    top = high - low
    if top <= 1e-12 * max(1.0, abs(high)):
        return _BARS[0] * len(finite)
    return "".join(_BARS[min(len(_BARS) - 1, int((h - low) / top * len(_BARS)))] for h in heights)


def _loss_text(run: Trajectory, function: str = "f") -> str | None:
    scale = loss_scale(run.values)
    curve = sparkline(run.values, scale=scale)
    if not curve:
        return None
    label = ", log scale" if scale[0] else ""
    return f"{curve}  {function} from {number(run.values[0], 6)} to {number(run.final.value, 6)}{label}"


# --- one run --------------------------------------------------------------------------------------


def step_table(
    run: Trajectory,
    every: int | None,
    digits: int = 10,
    without: tuple[str, ...] = (),
    *,
    function: str = "f",
):
    """The shown rows: step, the point, f, ∂f/∂v (up to GRADIENT_COLUMNS_LIMIT variables), ‖∇f‖;
    ``function`` names f in the headers (fit calls it L)."""
    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    table.add_column("step", justify="right")
    for name in run.names:
        table.add_column(name, justify="right")
    table.add_column(function, justify="right")
    gradient_columns = run.dimension <= GRADIENT_COLUMNS_LIMIT and "gradient" not in without
    if gradient_columns:
        for name in run.names:
            table.add_column(f"∂{function}/∂{name}", justify="right")
    table.add_column(f"‖∇{function}‖", justify="right")
    for k in shown_steps(run, every):
        row = run.row(k)
        cells = [str(k), *(number(x, digits) for x in row.point), number(row.value, digits)]
        if gradient_columns:
            cells += [number(g, min(digits, 8)) for g in row.gradient]
        table.add_row(*cells, number(row.gradient_norm, min(digits, 6)))
    return table


def fitted(build, layouts):
    """``build(digits, without)`` in the first of ``layouts`` that fits the console's width, so that
    Rich never has to cut a cell (the last layout otherwise)."""
    out = console()
    unbounded = out.options.update_width(1_000_000)  # the table's natural width, not one squeezed to fit
    for digits, without in layouts:
        table = build(digits, without)
        if out.measure(table, options=unbounded).maximum <= out.width:
            return table
    return table


def work_view(run: Trajectory, every: int | None, formulas: Formulas):
    """The shown steps written out, formula, numbers, result."""
    lines = []
    for _, block in worked_steps(run, formulas, shown_steps(run, every)):
        lines += [markup_escape(line) for line in block]
    return Group(*lines)


def hyperparameters_text(run: Trajectory) -> str:
    parts = [f"lr={number(run.learning_rate)}"]
    parts += [f"{name}={number(value)}" for name, value in run.hyperparameters.items()]
    if run.schedule is not None and not run.schedule.is_constant:
        parts.append(f"schedule {run.schedule.description}")
    if run.clip is not None:
        parts.append(f"clip ‖∇f‖ to {number(run.clip)}")
    if run.settings.noise:
        parts.append(f"noise σ={number(run.settings.noise)} (seed {run.settings.seed})")
    if run.maximize:
        parts.append("maximizing")
    return ", ".join(parts)


def _point_text(names, point, digits: int = 10) -> str:
    return ", ".join(f"{name}={number(x, digits)}" for name, x in zip(names, point))


def summary(report: DescentReport, index: int, *, function: str = "f"):
    """Status, final point, speed, loss curve, verdict, and the warnings or advice; ``function`` names
    f (fit calls its loss L)."""
    run = report.runs[index]
    final = run.final
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    colour = {"converged": "green", "max_steps": "yellow", "diverged": "red", "interrupted": "yellow"}[
        run.status
    ]
    facts.add_row("status", f"[{colour}]{markup_escape(run.reason_for(function))}[/]")
    facts.add_row(
        "final",
        markup_escape(
            f"{_point_text(run.names, final.point)}; {function} = {number(final.value)}; "
            f"‖∇{function}‖ = {number(final.gradient_norm)}"
        ),
    )
    rate = report.steps_per_second(index)
    if rate is not None:
        facts.add_row("speed", f"{rate:,.0f} steps/s")
    loss = _loss_text(run, function)
    if loss:
        facts.add_row("loss", loss)
    verdict = report.verdict(index)
    if verdict is not None and not (run.diverged and verdict.kind != "unbounded"):
        facts.add_row("verdict", markup_escape(verdict.text))
    for warning in report.warnings(index):
        facts.add_row("[yellow]warning[/]", markup_escape(warning))
    if run.advice:
        facts.add_row("[red]advice[/]", markup_escape(run.advice))
    return facts


def run_view(report: DescentReport, index: int, every: int | None, summary_only: bool, formulas=None):
    """One run: a heading, its steps (a table, or worked out), and its summary."""
    run = report.runs[index]
    heading = (
        f"[bold]{run.optimizer}[/] on f = {markup_escape(maths(report.function.expr))} "
        f"({markup_escape(hyperparameters_text(run))})"
    )
    parts = [heading, ""]
    if not summary_only:
        if formulas is not None:
            parts += [work_view(run, every, formulas), ""]
        else:
            parts += [
                fitted(lambda digits, without: step_table(run, every, digits, without), STEP_LAYOUTS),
                "",
            ]
        hidden = len(run) - len(shown_steps(run, every))
        if hidden > 0 and not every:
            parts += [
                f"{hidden} of {len(run)} rows hidden (the first and last {EDGE} are shown, evenly spaced "
                "rows between): see them with --every K, or all with --format csv or json",
                "",
            ]
    parts.append(summary(report, index))
    return Group(*parts)


# --- several runs ---------------------------------------------------------------------------------


# Ways to lay out a table, widest first: (digits, columns left out). The first that fits is used.
COMPARISON_LAYOUTS = (
    (8, ()),
    (6, ()),
    (4, ()),
    (3, ()),
    (3, ("loss",)),
    (3, ("loss", "verdict")),
    (3, ("loss", "verdict", "final point")),
)
STEP_LAYOUTS = ((10, ()), (8, ()), (6, ()), (6, ("gradient",)), (4, ("gradient",)), (3, ("gradient",)))


def comparison_table(report: DescentReport, digits: int = 8, without: tuple[str, ...] = ()):
    """One row per run; start, lr and optimizer columns where the runs differ; one loss scale."""
    runs = report.runs
    labels = [
        ("start", len({run.row(0).point for run in runs}) > 1, lambda r, i: _start_text(r)),
        ("lr", len({run.learning_rate for run in runs}) > 1, lambda r, i: number(r.learning_rate)),
        ("optimizer", len({run.optimizer for run in runs}) > 1 or len(runs) == 1, lambda r, i: r.optimizer),
    ]
    scale = loss_scale(*(run.values for run in runs))
    columns = [(name, cell) for name, differs, cell in labels if differs] + [
        ("status", lambda r, i: r.status),
        ("steps", lambda r, i: str(len(r) - 1)),
        ("final f", lambda r, i: number(r.final.value, digits)),
        ("final ‖∇f‖", lambda r, i: number(r.final.gradient_norm, min(digits, 4))),
        ("final point", lambda r, i: markup_escape(_point_text(r.names, r.final.point, digits))),
        ("verdict", lambda r, i: _kind(report.verdict(i))),
        ("loss", lambda r, i: sparkline(r.values, 20, scale)),
    ]
    columns = [(name, cell) for name, cell in columns if name not in without]
    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    for name, _ in columns:
        header = name + (" (log scale)" if name == "loss" and scale and scale[0] else "")
        table.add_column(header, justify="right" if name in ("steps", "final f") else "left")
    for index, run in enumerate(runs):
        table.add_row(*(cell(run, index) for _, cell in columns))
    return table


def _start_text(run: Trajectory) -> str:
    return markup_escape(_point_text(run.names, run.row(0).point, 6))


def _kind(verdict) -> str:
    if verdict is None or verdict.kind is None:
        return "-"
    if verdict.is_global is True:
        return f"{verdict.kind} (global)"
    if verdict.is_global is False:
        return f"{verdict.kind} (local)"
    return verdict.kind


def comparison_view(report: DescentReport):
    """Several runs of one request: what they share, the table, which ended lowest, and notes."""
    runs = report.runs
    shared = []
    if len({run.row(0).point for run in runs}) == 1:
        shared.append(f"from {_point_text(report.function.names, report.start)}")
    if len({run.learning_rate for run in runs}) == 1:
        shared.append(f"lr={number(runs[0].learning_rate)}")
    if len({run.optimizer for run in runs}) == 1:
        shared.append(runs[0].optimizer)
    heading = f"f = {markup_escape(maths(report.function.expr))}" + (
        ", " + ", ".join(shared) if shared else ""
    )
    notes = []
    for index, run in enumerate(runs):
        verdict = report.verdict(index)
        messages = [verdict.text] if verdict is not None and not run.diverged else []
        messages += [*report.warnings(index), *([run.advice] if run.advice else [])]
        notes += [f"[bold]{markup_escape(report.label(index))}[/]: {markup_escape(m)}" for m in messages]
    lowest = report.lowest()
    if lowest is not None:
        word = "highest" if runs[0].maximize else "lowest"
        notes.append(
            f"ended {word}: [bold]{markup_escape(report.label(lowest))}[/], "
            f"f = {number(runs[lowest].final.value)}"
        )
    table = fitted(lambda digits, without: comparison_table(report, digits, without), COMPARISON_LAYOUTS)
    return Group(heading, "", table, *([""] + notes if notes else []))


def write_report(
    report: DescentReport,
    output: str,
    *,
    every: int | None,
    summary: bool,
    formulas: Formulas | None = None,
) -> None:
    """Print the report in ``output`` format: "json", "csv", or "text" (a run, or a comparison)."""
    if output == "json":
        write_json(report, every, formulas)
    elif output == "csv":
        write_csv(report, every)
    elif len(report.runs) == 1:
        show(run_view(report, 0, every, summary, formulas))
    else:
        if formulas is not None and not summary:
            for index in range(len(report.runs)):
                show(run_view(report, index, every, False, formulas))
        show(comparison_view(report))
