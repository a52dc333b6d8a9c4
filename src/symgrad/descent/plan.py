"""Set up ``symgrad descend``: from text to a compiled f and ∇f, a start point, curvature, and runs.

The loop itself lives in ``descent``; this module does the symbolic work once, before it.

>>> report = run_descent("x**2-4*x+5", learning_rate=0.1, steps=3, tol=0)
>>> [round(x, 12) for (x,) in report.runs[0].points]
[0.0, 0.4, 0.72, 0.976]
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from symgrad import calculus
from symgrad.descent.loop import Trajectory, descend
from symgrad.descent.optimizers import OPTIMIZER_NAMES, make_optimizer, uses
from symgrad.descent.schedules import parse_schedule
from symgrad.errors import InputError, TimeLimitError
from symgrad.expression.points import read_point
from symgrad.expression.reading import Expression, read_expression


@dataclass(frozen=True)
class DescentReport:
    """Every run of one ``descend`` request, all from the same start."""

    function: Expression
    start: tuple[float, ...]
    runs: tuple[Trajectory, ...]
    seconds: tuple[float, ...]  # wall time of each run's loop

    def steps_per_second(self, index: int) -> float | None:
        updates = len(self.runs[index]) - 1
        elapsed = self.seconds[index]
        return updates / elapsed if updates > 0 and elapsed > 0 else None


def optimizer_names(text: str) -> list[str]:
    """``"sgd, adam"`` -> ``["sgd", "adam"]``, refusing unknown names and repeats."""
    names = [name.strip().lower() for name in text.split(",")]
    for name in names:
        if name not in OPTIMIZER_NAMES:
            raise InputError(f"unknown optimizer {name!r}: choose from {', '.join(OPTIMIZER_NAMES)}")
    if len(set(names)) != len(names):
        raise InputError(f"--optimizer names an optimizer twice: {text}")
    return names


def _optimizers(names: list[str], hyperparameters: dict):
    """Build each optimizer with the hyperparameters it uses; a flag none of them uses is an error."""
    given = {flag: value for flag, value in hyperparameters.items() if value is not None}
    if len(names) > 1:
        for flag in given:
            if not any(uses(name, flag) for name in names):
                make_optimizer(names[0], **{flag: given[flag]})  # raises the message for this flag
    built = []
    for name in names:
        mine = {f: v for f, v in given.items() if len(names) == 1 or uses(name, f)}
        built.append(make_optimizer(name, **mine))
    return built


def _start(function: Expression, start: str | None) -> tuple[float, ...]:
    if start is None:
        return tuple(0.0 for _ in function.variables)
    point = read_point(function, start, option="--start")
    return tuple(float(value) for value in point.values())


def curvature_at(function: Expression, point: Sequence[float], maximize: bool) -> float | None:
    """L, the largest eigenvalue of the Hessian of f (of −f when maximizing) at ``point``."""
    hessian = calculus.hessian(function.expr, function.variables)
    try:
        matrix = calculus.compile_function(hessian, function.variables)(tuple(point))
        rows = [[float(entry) for entry in row] for row in matrix]
    except TimeLimitError:
        raise
    except Exception:  # noqa: BLE001 - L only tunes advice: any failure to compute it means "unknown"
        return None
    if maximize:
        rows = [[-entry for entry in row] for row in rows]
    if not all(math.isfinite(entry) for row in rows for entry in row):
        return None
    if len(rows) == 1:
        return rows[0][0]
    import numpy

    return float(numpy.linalg.eigvalsh(numpy.array(rows)).max())


@dataclass(frozen=True)
class DescentPlan:
    """What the symbolic set-up produces: everything the float loops need, and nothing symbolic."""

    function: Expression
    start: tuple[float, ...]
    value_and_grad: Callable
    curvature: float | None  # L at the start, for the learning-rate advice
    optimizers: tuple
    learning_rate: float
    steps: int
    tol: float
    schedule: object | None
    clip: float | None
    maximize: bool

    def run(self, progress: Callable[[int, int], None] | None = None) -> DescentReport:
        """Run each optimizer from the same start (float loops only)."""
        runs, seconds = [], []
        for optimizer in self.optimizers:
            began = time.perf_counter()
            runs.append(
                descend(
                    self.value_and_grad,
                    self.start,
                    optimizer=optimizer,
                    learning_rate=self.learning_rate,
                    steps=self.steps,
                    tol=self.tol,
                    schedule=self.schedule,
                    clip=self.clip,
                    maximize=self.maximize,
                    curvature=self.curvature,
                    progress=progress,
                    names=self.function.names,
                )
            )
            seconds.append(time.perf_counter() - began)
        return DescentReport(self.function, self.start, tuple(runs), tuple(seconds))


def plan_descent(
    text: str,
    *,
    start: str | None = None,
    variables: str | None = None,
    optimizers: str = "sgd",
    learning_rate: float = 0.1,
    steps: int = 100,
    tol: float = 1e-6,
    momentum: float | None = None,
    alpha: float | None = None,
    beta1: float | None = None,
    beta2: float | None = None,
    eps: float | None = None,
    clip: float | None = None,
    schedule: str | None = None,
    maximize: bool = False,
) -> DescentPlan:
    """Parse, check, differentiate and compile once: the part a time limit should cover."""
    names = optimizer_names(optimizers)
    built = _optimizers(
        names, {"momentum": momentum, "alpha": alpha, "beta1": beta1, "beta2": beta2, "eps": eps}
    )
    parsed_schedule = parse_schedule(schedule) if schedule else None
    function = read_expression(text, variables)
    if not function.variables:
        raise InputError("the expression has no variables, so there is nothing to descend")
    point = _start(function, start)
    value_and_grad = calculus.compile_value_and_gradient(function.expr, function.variables)
    curvature = curvature_at(function, point, maximize)
    return DescentPlan(
        function,
        point,
        value_and_grad,
        curvature,
        tuple(built),
        learning_rate,
        steps,
        tol,
        parsed_schedule,
        clip,
        maximize,
    )


def run_descent(text: str, *, progress: Callable[[int, int], None] | None = None, **options) -> DescentReport:
    """``plan_descent(text, **options)``, then its runs."""
    return plan_descent(text, **options).run(progress)
