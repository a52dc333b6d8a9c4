"""``descend`` for programs: JSON and CSV, streamed one step at a time.

A run of millions of steps never exists as one list of dicts (which took gigabytes) nor as one string:
the steps are an iterator that ``_write`` takes one item at a time, and CSV rows go out as they come.
Each step carries the optimizer's state (velocity; sum_of_squares; square_average; m and v), rebuilt
from the recorded gradients by ``replay``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator

from symgrad.descent.plan import DescentReport
from symgrad.descent.replay import states
from symgrad.descent.trajectory import Trajectory
from symgrad.descent.work import Formulas, worked_steps
from symgrad.expression.printing import to_text
from symgrad.render import json_number

_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)


def shown_rows(run: Trajectory, every: int | None) -> list[int]:
    """The rows JSON and CSV carry: every row, or every K-th and the last."""
    count = len(run)
    if every:
        return sorted(set(range(0, count, every)) | {count - 1})
    return list(range(count))


def _steps(run: Trajectory, every: int | None, formulas: Formulas | None) -> Iterator[dict]:
    rows = shown_rows(run, every)
    wanted = set(rows)
    work = worked_steps(run, formulas, rows) if formulas is not None else None
    for k, state in enumerate(states(run)):
        if k not in wanted:
            continue
        row = run.row(k)
        step = {
            "step": k,
            "point": [json_number(x) for x in row.point],
            "f": json_number(row.value),
            "gradient": [json_number(g) for g in row.gradient],
            "grad_norm": json_number(row.gradient_norm),
            "state": {name: [json_number(v) for v in values] for name, values in state.items()},
        }
        if work is not None:
            step["work"] = next(work)[1]
        yield step


def run_json(report: DescentReport, index: int, steps) -> dict:
    """One run as JSON, with ``steps`` (a list, or an iterator to stream)."""
    run = report.runs[index]
    final = run.final
    verdict = report.verdict(index)
    return {
        "expression": to_text(report.function.expr),
        "variables": list(run.names),
        "optimizer": run.optimizer,
        "lr": run.learning_rate,
        "hyperparameters": run.hyperparameters,
        "schedule": run.schedule.text if run.schedule is not None else None,
        "clip": run.clip,
        "maximize": run.maximize,
        "noise": run.settings.noise,
        "seed": run.settings.seed if run.settings.noise else None,
        "tol": run.tol,
        "max_steps": run.step_limit,
        "start": list(run.row(0).point),
        "status": run.status,
        "reason": run.reason,
        "iterations": len(run) - 1,
        "steps": steps,
        "final": {
            "point": [json_number(x) for x in final.point],
            "f": json_number(final.value),
            "grad_norm": json_number(final.gradient_norm),
            "kind": verdict.kind if verdict else None,
            "global": verdict.is_global if verdict else None,
        },
        "verdict": verdict.text if verdict else None,
        "warnings": list(report.warnings(index)) + ([run.advice] if run.advice else []),
        "suggested_lr": run.suggested_learning_rate,
    }


def report_json(report: DescentReport, every: int | None = None, formulas: Formulas | None = None) -> dict:
    """The whole report as one dict (for a program that wants it in memory)."""
    runs = [run_json(report, i, list(_steps(run, every, formulas))) for i, run in enumerate(report.runs)]
    return _whole(report, runs)


def _whole(report: DescentReport, runs: list[dict]) -> dict:
    if len(runs) == 1:
        return runs[0]
    return {"runs": runs, "lowest": report.lowest()}


def write_json(report: DescentReport, every: int | None, formulas: Formulas | None = None) -> None:
    """Print ``report_json`` as ``json.dumps(indent=2)`` would, one step at a time."""
    runs = [run_json(report, i, _steps(run, every, formulas)) for i, run in enumerate(report.runs)]
    _write(_whole(report, runs), sys.stdout, "")
    sys.stdout.write("\n")


def stream_json(value) -> None:
    """Print ``value`` as ``json.dumps(indent=2)`` would, taking the items of an iterator in it one at
    a time (for another command's steps)."""
    _write(value, sys.stdout, "")
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
    """One row per step. Columns that tell several runs apart (start, lr, optimizer) come first when
    they differ; the optimizer's state follows the gradient, blank where a run's optimizer has none."""
    names = report.function.names
    runs = report.runs
    labels = _distinguishing(report)
    state_columns = list(dict.fromkeys(name for run in runs for name in next(states(run))))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    header = ["step", *names, "f", *(f"grad_{name}" for name in names), "grad_norm"]
    header += [f"{state}_{name}" for state in state_columns for name in names]
    writer.writerow([label for label, _ in labels] + header)
    for run in runs:
        first = [cell(run) for _, cell in labels]
        wanted = set(shown_rows(run, every))
        for k, state in enumerate(states(run)):
            if k not in wanted:
                continue
            row = run.row(k)
            cells = [
                k,
                *map(repr, row.point),
                repr(row.value),
                *map(repr, row.gradient),
                repr(row.gradient_norm),
            ]
            for column in state_columns:
                cells += map(repr, state[column]) if column in state else [""] * len(names)
            writer.writerow(first + cells)


def _distinguishing(report: DescentReport) -> list[tuple[str, object]]:
    """(column name, cell of a run) for start, lr and optimizer, each where the runs differ."""
    runs = report.runs
    columns = []
    if len({run.row(0).point for run in runs}) > 1:
        for i, name in enumerate(report.function.names):
            columns.append((f"start_{name}", lambda run, i=i: repr(run.row(0).point[i])))
    if len({run.learning_rate for run in runs}) > 1:
        columns.append(("lr", lambda run: repr(run.learning_rate)))
    if len({run.optimizer for run in runs}) > 1:
        columns.append(("optimizer", lambda run: run.optimizer))
    return columns
