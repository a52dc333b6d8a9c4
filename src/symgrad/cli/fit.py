"""``symgrad fit``: learn a model's parameters from a CSV file by descending its symbolic loss."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from symgrad.cli.app import command
from symgrad.cli.descend import Plot
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
from symgrad.cli.options import Decimals, Format, Plain, Timeout, expression_argument, format_option
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit
from symgrad.errors import DivergedError, InputError
from symgrad.interrupts import Interrupted

Model = expression_argument("w*size")
Formats = format_option(Format.text, Format.json, Format.csv)


Standardize = Annotated[
    bool, typer.Option("--standardize", help="Scale each feature to mean 0 and standard deviation 1.")
]
ShowWork = Annotated[
    bool, typer.Option("--show-work", help="Write out each shown step: ∂L/∂θ, its value, the update.")
]


@command(
    "fit",
    """Learn a model's parameters from a CSV file: gradient descent on its loss, with every step shown.

    \b
    Example:
      symgrad fit "w*size" --data examples/houses.csv --target price --lr 0.00001
      (learns w = 2 from three houses: price = 2·size)

    Names in the model that are columns of the file are data; the others are parameters (or name
    them with --params). The loss is mse (default), mae, huber[:DELTA] or logistic. Mini-batches with
    --batch N --seed S; --epochs E instead of --steps. Exit code 1 when the run diverges.
    """,
    "Learn a model's parameters from a CSV file by gradient descent.",
)
def fit(
    model: Model,
    *,
    data: Annotated[str, typer.Option("--data", help="The CSV file, with a header row; - reads stdin.")],
    target: Annotated[str, typer.Option("--target", help="The column the model predicts.")],
    params: Annotated[
        str | None,
        typer.Option("--params", help="The parameters, e.g. w,b (default: every name no column has)."),
    ] = None,
    loss: Annotated[str, typer.Option("--loss", help="mse, mae, huber[:DELTA] or logistic.")] = "mse",
    start: Annotated[
        str | None, typer.Option("--start", help="Start point, e.g. w=1,b=0; default all 0.")
    ] = None,
    lr: Annotated[float, typer.Option("--lr", help="Learning rate.")] = 0.1,
    steps: Annotated[int | None, typer.Option(help="At most this many updates (default 100).")] = None,
    epochs: Annotated[int | None, typer.Option(help="Passes over the data, instead of --steps.")] = None,
    batch: Annotated[
        int | None, typer.Option(help="Rows per step (default all), shuffled each epoch.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the shuffle; the same seed gives the same run.")] = 0,
    tol: Annotated[float, typer.Option(help="Stop when ‖∇L‖ ≤ tol; 0 runs all steps.")] = 1e-6,
    optimizer: Optimizers = "sgd",
    momentum: Momentum = None,
    alpha: Alpha = None,
    beta1: Beta1 = None,
    beta2: Beta2 = None,
    eps: Eps = None,
    clip: Clip = None,
    schedule: Schedule = None,
    standardize: Standardize = False,
    every: Every = None,
    summary: Annotated[bool, typer.Option("--summary", help="Print only the summary.")] = False,
    show_work: ShowWork = False,
    output: Formats = Format.text,
    plain: Plain = False,
    decimals: Decimals = False,
    plot: Plot = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
):
    # lazy: the fit imports SymPy, NumPy and pandas, and the views Rich; `symgrad --help` needs none
    from symgrad.descent.settings import DescentSettings, optimizer_names
    from symgrad.fit.batches import steps_for
    from symgrad.fit.plan import FitRequest, plan_fit
    from symgrad.render import writing
    from symgrad.render.fit import formulas, write_report

    _check_options(every, plot)
    optimizer_names(optimizer)  # one optimizer: refuse a list before reading the data
    with time_limit(timeout):  # reading, the symbolic set-up and compiling; the loop is bounded by --steps
        plan = plan_fit(FitRequest(model, data, target, params, loss, start, standardize, batch, seed))
        work = formulas(plan.model, plan.loss) if show_work else None
    settings = DescentSettings.read(
        optimizers=optimizer,
        hyperparameters={"momentum": momentum, "alpha": alpha, "beta1": beta1, "beta2": beta2, "eps": eps},
        learning_rate=lr,
        steps=steps_for(epochs, steps, plan.batches().per_epoch),
        tol=tol,
        clip=clip,
        schedule=schedule,
    )
    report = _run(plan, settings)
    with writing(plain=plain, decimals=decimals):
        write_report(report, output, every=every, summary=summary, work=work)
    if plot is not None:
        _save_plot(report, plot)
    if report.run.interrupted:  # the rows so far are written: now end as the signal asked
        raise Interrupted(report.run.stop.signum)
    if report.run.diverged:
        raise DivergedError(f"{report.run.optimizer} {report.run.reason_for('L')}")


def _run(plan, settings):
    progress = Progress()
    try:
        return plan.run(settings, progress)
    finally:
        progress.close()


def _save_plot(report, path: str) -> None:
    # lazy: matplotlib costs about 0.3 s and only --plot needs it
    from symgrad.pictures.fit import save_fit_plot

    save_fit_plot(report, path)
    print(f"wrote {path}", file=sys.stderr)


def _check_options(every: int | None, plot: str | None) -> None:
    """Refuse a bad --every or --plot before the data is read."""
    if every is not None and every < 1:
        raise InputError(f"--every must be 1 or more, got {every}")
    if plot is not None:
        # lazy: the figures module is only needed with --plot
        from symgrad.pictures.fit import check_fit_plot

        check_fit_plot(plot)
