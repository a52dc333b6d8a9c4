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
from symgrad.descent.loop import Problem, Trajectory, run_optimizer
from symgrad.descent.settings import DescentSettings
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
    import numpy  # lazy: NumPy adds about 0.1 s to a start, and one variable needs no eigenvalues

    return float(numpy.linalg.eigvalsh(numpy.array(rows)).max())


@dataclass(frozen=True)
class DescentPlan:
    """What the symbolic set-up produces: everything the float loops need, and nothing symbolic."""

    function: Expression
    problem: Problem
    settings: DescentSettings

    def run(self, progress: Callable[[int, int], None] | None = None) -> DescentReport:
        """Run each optimizer from the same start (float loops only)."""
        runs, seconds = [], []
        for optimizer in self.settings.optimizers:
            began = time.perf_counter()
            runs.append(run_optimizer(self.problem, optimizer, self.settings, progress))
            seconds.append(time.perf_counter() - began)
        return DescentReport(self.function, self.problem.start, tuple(runs), tuple(seconds))


def plan_descent(
    text: str, settings: DescentSettings, *, start: str | None = None, variables: str | None = None
) -> DescentPlan:
    """Parse, check, differentiate and compile once: the part a time limit should cover."""
    function = read_expression(text, variables)
    if not function.variables:
        raise InputError("the expression has no variables, so there is nothing to descend")
    point = _start(function, start)
    value_and_grad = calculus.compile_value_and_gradient(function.expr, function.variables)
    curvature = curvature_at(function, point, settings.maximize)
    problem = Problem.of(value_and_grad, point, function.names, curvature)
    return DescentPlan(function, problem, settings)


def run_descent(
    text: str,
    *,
    start: str | None = None,
    variables: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    **options,
) -> DescentReport:
    """``plan_descent`` with ``DescentSettings.read(**options)``, then its runs."""
    settings = DescentSettings.read(**options)
    return plan_descent(text, settings, start=start, variables=variables).run(progress)
