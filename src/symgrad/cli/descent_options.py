"""The options descend and fit share (optimizers, their hyperparameters, schedules, which steps to show),
declared once, and the progress bar of a long run."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from symgrad.cli.app import comma_list
from symgrad.descent.optimizers import OPTIMIZER_NAMES

Optimizers = Annotated[
    str,
    typer.Option(
        help="sgd, momentum, nesterov, adagrad, rmsprop or adam; several: sgd,adam.",
        autocompletion=comma_list(OPTIMIZER_NAMES),
    ),
]
Schedule = Annotated[
    str | None,
    typer.Option(help="Learning-rate schedule: exp:GAMMA, step:EVERY:GAMMA, inv:K or cosine:T."),
]
Every = Annotated[
    int | None, typer.Option(help="Show every K-th step (and the last) in the table, JSON and CSV.")
]
Momentum = Annotated[float | None, typer.Option(help="Momentum (momentum, nesterov; 0.9).")]
Alpha = Annotated[float | None, typer.Option(help="RMSprop smoothing (default 0.99).")]
Beta1 = Annotated[float | None, typer.Option(help="Adam β1 (default 0.9).")]
Beta2 = Annotated[float | None, typer.Option(help="Adam β2 (default 0.999).")]
Eps = Annotated[float | None, typer.Option(help="Adagrad/RMSprop/Adam ε (torch's defaults).")]
Clip = Annotated[float | None, typer.Option(help="Rescale the gradient to this norm when longer.")]


class Progress:
    """A progress bar on stderr, shown only on a terminal and only once a run passes a second."""

    def __init__(self):
        self.bar = None
        self.task = None
        self.began = time.perf_counter()
        self.enabled = sys.stderr.isatty()

    def __call__(self, step: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.perf_counter() - self.began < 1.0:
                return
            # lazy: Rich's progress bar is only wanted on a terminal, once a run passes a second
            from rich.progress import Progress

            from symgrad.render import console

            self.bar = Progress(console=console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("descending", total=total)
        self.bar.update(self.task, completed=step)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
