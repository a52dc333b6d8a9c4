"""How long `symgrad hessian` takes to print a Hessian, as a ratio to computing it, measured in one run.

    python benchmarks/render.py [--runs N]

For the chained quadratic and the extended Rosenbrock function (the workloads of benchmarks/engine.py)
in n = 40, 80 and 160 variables: the CPU seconds of computing the Hessian (parsing included), then of
printing it as text (piped, so in one piece), as JSON and as LaTeX, each as a ratio to computing it.
The baseline, measured in the same run, is the way the text view printed before: every one of the
n² entries written on its own and laid out by a Rich table (the "table" columns); "80 cols" is the
text view on a terminal 80 columns wide, in blocks of columns.

Target: printing as text at most the time of computing (ratio ≤ 1) for n ≥ 80.
Printing times are medians of ``--runs`` runs; computing is timed once, on the first run.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import chained_quadratic, rosenbrock  # noqa: E402

from symgrad.analysis.hessian import hessian  # noqa: E402
from symgrad.render import emit_json, table, writing  # noqa: E402
from symgrad.render import hessian as views  # noqa: E402

TARGET = 1.0


def seconds(runs: int, work, *args) -> float:
    """The median CPU time of ``runs`` calls of ``work(*args)``."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work(*args)
        times.append(time.process_time() - start)
    return statistics.median(times)


def print_text(result, width: int | None = None) -> None:
    """The text view as `show` prints it: piped (10,000 columns) or on a terminal ``width`` wide."""
    out = Console(
        file=io.StringIO(),
        width=width or 10_000,
        force_terminal=width is not None,
        soft_wrap=width is None,
        highlight=False,
    )
    with writing():
        out.print(views.hessian_view(result))


def print_json(result) -> None:
    with redirect_stdout(io.StringIO()):
        emit_json(views.hessian_json(result))


def print_table(result) -> None:
    """The text view as it was printed before: each entry written, a Rich table laying them out."""
    matrix, written = views.Matrix, views._written
    views.Matrix = lambda names, rows: table(("", *names), [(n, *row) for n, row in zip(names, rows)])
    views._written = lambda rows, write: [[write(e) for e in row] for row in rows]
    try:
        print_text(result)
    finally:
        views.Matrix, views._written = matrix, written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    columns = ["compute s", "text", "json", "latex", "80 cols", "table", "table/text"]
    print(f"{'workload':<22} {'n':>4} " + " ".join(f"{c:>10}" for c in columns))
    for name, workload in (("chained quadratic", chained_quadratic), ("extended Rosenbrock", rosenbrock)):
        for n in (40, 80, 160):
            text = workload(n)
            start = time.process_time()
            result = hessian(text)
            compute = time.process_time() - start
            printing = [
                seconds(runs, print_text, result),
                seconds(runs, print_json, result),
                seconds(runs, views.hessian_latex, result),
                seconds(runs, print_text, result, 80),
                seconds(runs, print_table, result),
            ]
            ratios = [t / compute for t in printing] + [printing[-1] / printing[0]]
            print(
                f"{name:<22} {n:>4} {compute:>10.3f} " + " ".join(f"{r:>9.2f}x" for r in ratios),
                flush=True,
            )
    print(f"\nratios are printing time / computing time; target text ≤ {TARGET:.0f}x for n ≥ 80")
    return 0


if __name__ == "__main__":
    sys.exit(main())
