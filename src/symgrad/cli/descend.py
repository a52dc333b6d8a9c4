"""``symgrad descend``: gradient descent with every step in a table."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Annotated

import typer

from symgrad.cli.app import command
from symgrad.cli.descent_options import (
    Alpha,
    Beta1,
    Beta2,
    Clip,
    Eps,
    Every,
    Momentum,
    Optimizers,
    Progress,
    Schedule,
)
from symgrad.cli.options import (
    Decimals,
    Definitions,
    Format,
    Plain,
    Timeout,
    Variables,
    expression_argument,
    expression_text,
    format_option,
)
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit
from symgrad.descent.record import KEEP
from symgrad.descent.settings import DescentSettings, learning_rates
from symgrad.errors import DivergedError, InputError
from symgrad.interrupts import Interrupted

Expr = expression_argument("x**2-4*x+5")
Formats = format_option(Format.text, Format.json, Format.csv)


Starts = Annotated[
    list[str] | None,
    typer.Option(
        "--start",
        help="Start point, as for --at (x=1,y=2 or 1,2); default all 0. Repeat it to run from several.",
    ),
]
Rates = Annotated[str, typer.Option("--lr", help="Learning rate; several: 1,0.1,0.01.")]
Noise = Annotated[
    float | None, typer.Option(help="Add Gaussian noise of this σ to each gradient (stochastic).")
]
ShowWork = Annotated[
    bool, typer.Option("--show-work", help="Write out each shown step's arithmetic, as by hand.")
]
Plot = Annotated[
    str | None,
    typer.Option(
        "--plot", help="Also draw the path and loss curves to FILE (.png, .svg, .pdf), or animate it (.gif)."
    ),
]


@command(
    "descend",
    """Gradient descent on an expression, with every step in a table, and the optimizers ML uses.

    \b
    Example:
      symgrad descend "x**2-4*x+5" --start 0 --lr 0.1
      (steps toward the minimum at x=2)

    Compare optimizers with --optimizer sgd,momentum,adam, learning rates with --lr 1,0.1,0.01,
    starts by repeating --start. --show-work writes out each step. Exit code 1 when a run diverges.
    """,
    "Gradient descent with every step shown; six optimizers.",
)
def descend(
    expression: Expr,
    *,
    start: Starts = None,
    lr: Rates = "0.1",
    steps: Annotated[int, typer.Option(help="At most this many updates.")] = 100,
    tol: Annotated[float, typer.Option(help="Stop when ‖∇f‖ ≤ tol; 0 runs all steps.")] = 1e-6,
    optimizer: Optimizers = "sgd",
    momentum: Momentum = None,
    alpha: Alpha = None,
    beta1: Beta1 = None,
    beta2: Beta2 = None,
    eps: Eps = None,
    clip: Clip = None,
    schedule: Schedule = None,
    maximize: Annotated[bool, typer.Option("--maximize", help="Gradient ascent.")] = False,
    noise: Noise = None,
    seed: Annotated[int, typer.Option(help="Seed of the --noise; the same seed gives the same run.")] = 0,
    variables: Variables = None,
    let: Definitions = None,
    every: Every = None,
    summary: Annotated[bool, typer.Option("--summary", help="Print only the summary.")] = False,
    show_work: ShowWork = False,
    output: Formats = Format.text,
    plain: Plain = False,
    decimals: Decimals = False,
    plot: Plot = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
):
    # lazy: the plan imports SymPy; `symgrad --help` must not
    from symgrad.descent.plan import plan_descent

    view = View(output, every, summary, show_work, plot, plain, decimals)
    view.check()
    settings = DescentSettings.read(
        optimizers=optimizer,
        hyperparameters={"momentum": momentum, "alpha": alpha, "beta1": beta1, "beta2": beta2, "eps": eps},
        steps=steps,
        tol=tol,
        clip=clip,
        schedule=schedule,
        maximize=maximize,
        noise=noise,
        seed=seed,
        **view.rows_to_keep(),
    )
    began = time.monotonic()
    with time_limit(timeout):  # the symbolic set-up; the float loops are bounded by --steps
        text = expression_text(expression)
        plan = plan_descent(
            text,
            settings,
            starts=start or (),
            learning_rates=learning_rates(lr),
            variables=variables,
            let=let or (),
        )
        formulas = plan.formulas() if show_work else None
    report = _run_with_progress(plan)
    view.show(plan, report, formulas, _left(timeout, began))


@dataclass(frozen=True)
class View:
    """What descend shows: the format, which rows, worked steps, a picture, how maths is written."""

    output: Format
    every: int | None
    summary: bool
    show_work: bool
    plot: str | None
    plain: bool
    decimals: bool

    def check(self) -> None:
        """Refuse a bad --every or --plot before any work is done."""
        if self.every is not None and self.every < 1:
            raise InputError(f"--every must be 1 or more, got {self.every}")
        if self.plot is not None:
            # lazy: the figures module is only needed with --plot
            from symgrad.pictures.descent import check_plot_file

            check_plot_file(self.plot)

    def rows_to_keep(self) -> dict:
        """What a run must keep: every row for JSON, CSV and worked steps (the optimizer's state is
        replayed from all of them), every K-th with --every, else a bounded selection."""
        if self.output is not Format.text or self.show_work:
            return {}
        return {"every": self.every} if self.every else {"keep": KEEP}

    def show(self, plan, report, formulas, seconds: float) -> None:
        """Verdicts, the text view and the picture within ``seconds``; JSON and CSV stream out after,
        in time proportional to --steps, as the loop ran; then the exit code the runs call for."""
        # lazy: the views load Rich
        from symgrad.render import descent as views
        from symgrad.render import writing

        options = {"every": self.every, "summary": self.summary, "formulas": formulas}
        with time_limit(seconds), writing(plain=self.plain, decimals=self.decimals):
            report = plan.judge(report)
            if self.output is Format.text:
                views.write_report(report, self.output, **options)
            if self.plot is not None:
                _save_plot(report, self.plot)
        if self.output is not Format.text:
            views.write_report(report, self.output, **options)
        _raise_if_stopped(report, self.output)


def _left(timeout: float, began: float) -> float:
    """What is left of --timeout (0: no limit), and never less than half a second to show the result."""
    return max(timeout - (time.monotonic() - began), 0.5) if timeout else 0


def _raise_if_stopped(report, output: Format) -> None:
    """After the output: Interrupted (128 + the signal) for a run a signal stopped; DivergedError (exit 1)
    for the first run that diverged or fell without bound, in full where the text view did not say it."""
    stopped = [run for run in report.runs if run.interrupted]
    if stopped:
        raise Interrupted(stopped[0].stop.signum)
    unbounded = [i for i, run in enumerate(report.runs) if _unbounded(report, i)]
    if unbounded:
        run = report.runs[unbounded[0]]
        name = report.label(unbounded[0]) if len(report.runs) > 1 else run.optimizer
        goal, verb = ("maximum", "rises") if run.maximize else ("minimum", "falls")
        raise DivergedError(
            f"{name}: f {verb} without bound, so there is no {goal} to reach (see the verdict)"
        )
    diverged = [run for run in report.runs if run.diverged]
    if not diverged:
        return
    run = diverged[0]
    several = len({r.learning_rate for r in report.runs}) > 1
    name = f"{run.optimizer} (lr={run.learning_rate:g})" if several else run.optimizer
    if output is Format.text:
        raise DivergedError(f"{name} diverged at step {run.diverged_at}: see its status and advice above")
    advice = f"; {run.advice}" if run.advice else ""
    raise DivergedError(f"{name} {run.reason}{advice}")


def _unbounded(report, index: int) -> bool:
    verdict = report.verdict(index)
    return verdict is not None and verdict.kind == "unbounded" and not report.runs[index].diverged


def _run_with_progress(plan):
    progress = Progress()
    try:
        return plan.run(progress)
    finally:
        progress.close()


def _save_plot(report, path: str) -> None:
    # lazy: matplotlib costs about 0.3 s and only --plot needs it
    from symgrad.pictures.descent import save_descent_plot

    runs = [(report.label(index), run) for index, run in enumerate(report.runs)]
    save_descent_plot(report.function, runs, path)
    print(f"wrote {path}", file=sys.stderr)
