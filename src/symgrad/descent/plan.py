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
from dataclasses import dataclass, replace

from symgrad import calculus
from symgrad.analysis.landscape import Ending, Judge, Verdict
from symgrad.descent.loop import Problem, Trajectory, run_optimizer
from symgrad.descent.settings import DescentSettings
from symgrad.descent.work import Formulas
from symgrad.errors import InputError, TimeLimitError
from symgrad.expression.points import read_point
from symgrad.expression.readable import readable, template
from symgrad.expression.reading import Expression, read_expression


@dataclass(frozen=True)
class DescentReport:
    """Every run of one ``descend`` request: each start × learning rate × optimizer, with verdicts."""

    function: Expression
    runs: tuple[Trajectory, ...]
    seconds: tuple[float, ...]  # wall time of each run's loop
    verdicts: tuple[Verdict | None, ...] = ()  # one per run, when they were asked for

    @property
    def start(self) -> tuple[float, ...]:
        """The first run's start (every run's, unless --start was repeated)."""
        return self.runs[0].row(0).point

    def steps_per_second(self, index: int) -> float | None:
        updates = len(self.runs[index]) - 1
        elapsed = self.seconds[index]
        return updates / elapsed if updates > 0 and elapsed > 0 else None

    def label(self, index: int) -> str:
        """How run ``index`` is named beside the others: by what sets it apart (optimizer, lr, start)."""
        run, runs = self.runs[index], self.runs
        parts = []
        if len({r.optimizer for r in runs}) > 1 or len(runs) == 1:
            parts.append(run.optimizer)
        if len({r.learning_rate for r in runs}) > 1 or len(runs) == 1:
            parts.append(f"lr={run.learning_rate:g}")
        if len({r.row(0).point for r in runs}) > 1:
            start = ", ".join(f"{name}={x:.6g}" for name, x in zip(run.names, run.row(0).point))
            parts.append(f"from {start}")
        return " ".join(parts) or run.optimizer

    def warnings(self, index: int) -> tuple[str, ...]:
        """Run ``index``'s warnings, less those its verdict says better (lr too large or too small, a
        plateau, no minimum)."""
        verdict = self.verdict(index)
        if verdict is not None and verdict.kind in ("too large", "too slow", "unbounded", "plateau"):
            return ()
        return self.runs[index].warnings

    def verdict(self, index: int) -> Verdict | None:
        return self.verdicts[index] if self.verdicts else None

    def lowest(self) -> int | None:
        """The index of the run that ended lowest (highest when maximizing), when there are several."""
        finite = [i for i, run in enumerate(self.runs) if not run.diverged and math.isfinite(run.final.value)]
        if len(self.runs) < 2 or not finite:
            return None
        sign = -1.0 if self.runs[0].maximize else 1.0
        return min(finite, key=lambda i: sign * self.runs[i].final.value)


def _starts(function: Expression, starts: Sequence[str]) -> list[tuple[float, ...]]:
    if not starts:
        return [tuple(0.0 for _ in function.variables)]
    points = [read_point(function, text, option="--start") for text in starts]
    found = [tuple(float(value) for value in point.values()) for point in points]
    if len(set(found)) != len(found):
        raise InputError("--start gives the same point twice: give each start once")
    return found


def curvature_at(hessian: calculus.Hessian, point: Sequence[float], maximize: bool) -> float | None:
    """L, the largest eigenvalue of the Hessian of f (of −f when maximizing) at ``point``."""
    try:
        matrix = hessian.at(point)
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
    problems: tuple[Problem, ...]  # one per start
    settings: DescentSettings
    learning_rates: tuple[float, ...]
    # ∇f and ∇²f, worked out once here and handed to the verdict and the worked steps.
    gradient: tuple
    hessian: calculus.Hessian

    @property
    def problem(self) -> Problem:
        return self.problems[0]

    def run(self, progress: Callable[[int, int], None] | None = None) -> DescentReport:
        """Every start × learning rate × optimizer (float loops only), in that order."""
        runs, seconds = [], []
        for problem in self.problems:
            for rate in self.learning_rates:
                settings = replace(self.settings, learning_rate=rate)
                for optimizer in settings.optimizers:
                    began = time.perf_counter()
                    runs.append(run_optimizer(problem, optimizer, settings, progress))
                    seconds.append(time.perf_counter() - began)
                    if runs[-1].interrupted:  # the runs not started yet are not wanted either
                        return DescentReport(self.function, tuple(runs), tuple(seconds))
        return DescentReport(self.function, tuple(runs), tuple(seconds))

    def judge(self, report: DescentReport) -> DescentReport:
        """The report with a verdict on each run: where it ended, from the Hessian, the exact critical
        points and limits, each within a few seconds (a verdict that cannot be had is None)."""
        judge = Judge(
            self.function, maximize=self.settings.maximize, gradient=self.gradient, hessian=self.hessian
        )
        if any(run.interrupted for run in report.runs):  # whoever stopped the run wants out, not a verdict
            return report
        verdicts = tuple(judge.verdict(ending(run)) for run in report.runs)
        return replace(report, verdicts=verdicts)

    def formulas(self) -> Formulas:
        """The gradient as people read it, for worked steps."""
        variables = self.function.variables
        return Formulas(
            self.function.names,
            tuple(readable(component) for component in self.gradient),
            tuple(template(component, variables) for component in self.gradient),
        )


def ending(run: Trajectory) -> Ending:
    """How a run ended, as the landscape's verdict reads it."""
    final = run.final
    return Ending(
        point=final.point,
        start=run.row(0).point,
        gradient_norm=final.gradient_norm,
        converged=run.converged,
        diverged=run.diverged,
        learning_rate=run.learning_rate,
        bouncing=run.diagnosis.bouncing,
        start_gradient_norm=run.row(0).gradient_norm,
        start_curvature=run.curvature,
    )


def plan_descent(
    text: str,
    settings: DescentSettings,
    *,
    starts: Sequence[str] = (),
    learning_rates: Sequence[float] = (),
    variables: str | None = None,
    let: Sequence[str] = (),
) -> DescentPlan:
    """Parse, check, differentiate and compile once: the part a time limit should cover.

    ``variables`` are the names descent moves; every other name is a constant given by ``let``.
    """
    function = read_expression(text, variables, let=let)
    if not function.variables:
        raise InputError("the expression has no variables, so there is nothing to descend")
    gradient = calculus.gradient(function.expr, function.variables)
    value_and_grad = calculus.compile_value_and_gradient(function.expr, function.variables, gradient)
    points = _starts(function, starts)
    hessian = calculus.Hessian.of(function.expr, function.variables)
    problems = tuple(
        Problem.of(value_and_grad, point, function.names, curvature_at(hessian, point, settings.maximize))
        for point in points
    )
    rates = tuple(learning_rates) or (settings.learning_rate,)
    return DescentPlan(function, problems, settings, rates, gradient, hessian)


def run_descent(
    text: str,
    *,
    start: str | None = None,
    variables: str | None = None,
    let: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    **options,
) -> DescentReport:
    """``plan_descent`` with ``DescentSettings.read(**options)``, then its runs."""
    settings = DescentSettings.read(**options)
    starts = (start,) if start is not None else ()
    return plan_descent(text, settings, starts=starts, variables=variables, let=let).run(progress)
