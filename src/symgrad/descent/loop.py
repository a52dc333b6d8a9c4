"""The gradient-descent loop behind ``symgrad descend``, on compiled float functions.

The loop computes f and ∇f, asks the run's update rule (a chain of transforms: clipping, ascent, the
optimizer at the scheduled rate) for the next point, and records the row; it knows none of those
options itself.

>>> def parabola(point):
...     (x,) = point
...     return x * x - 4 * x + 5, (2 * x - 4,)
>>> run = descend(parabola, (0.0,), optimizer="sgd", learning_rate=0.1, steps=3, tol=0)
>>> [round(x, 12) for (x,) in run.points]
[0.0, 0.4, 0.72, 0.976]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import add

from symgrad.descent.diagnosis import diagnose
from symgrad.descent.optimizers import Optimizer, make_optimizer
from symgrad.descent.outcome import HUGE, Divergence, Status, Stop, brief, divergence_at, point_text
from symgrad.descent.record import Rows
from symgrad.descent.settings import DescentSettings
from symgrad.descent.trajectory import Step, Trajectory
from symgrad.descent.transforms import GradientTransformation
from symgrad.errors import InputError, MathError
from symgrad.interrupts import Interrupted, exit_at_once

__all__ = ["CHUNK", "HUGE", "WORSE", "Problem", "Step", "Trajectory", "compare_optimizers", "descend"]

ValueAndGrad = Callable[[tuple[float, ...]], tuple[float, Sequence[float]]]
Progress = Callable[[int, int], None]

# A run that makes f this many times worse than at the start (in units of max(|f₀|, 1)) is not coming
# back: it is stopped as diverged long before HUGE (x² with lr 1.5 from 10: step 20 instead of 246).
WORSE = 1e12
# Rows go to a list first and into the compact array once per chunk, because appending to a list
# costs less per float; progress is reported at the same moments, so the loop needs no extra test.
CHUNK = 4096
# What the math module raises outside a function's domain; TypeError comes from complex results
# (a negative number to a fractional power), which cannot be compared with a bound.
_EVALUATION_ERRORS = (ValueError, OverflowError, ZeroDivisionError, TypeError)


@dataclass(frozen=True)
class Problem:
    """What every run of a request descends on: f and ∇f as one function, the start, and L there."""

    value_and_grad: ValueAndGrad  # point -> (f, ∇f)
    start: tuple[float, ...]
    names: tuple[str, ...]
    curvature: float | None = None  # the largest Hessian eigenvalue at the start (of −f to maximize)
    # f and ∇f for checking the start, when value_and_grad is stochastic (a mini-batch per call): the
    # check then sees the whole f and does not use up a batch of the run.
    start_check: ValueAndGrad | None = None

    @classmethod
    def of(cls, value_and_grad, start, names=None, curvature=None) -> Problem:
        """Check the start and name its coordinates (x, or x1, x2, … when not named)."""
        point = _start_point(start)
        return cls(value_and_grad, point, _variable_names(names, len(point)), curvature)


@dataclass(frozen=True)
class _Limits:
    """When the loop stops: after ``steps`` updates, at ‖∇f‖ ≤ tol, or when f leaves [lowest, highest]."""

    steps: int
    tol: float
    lowest: float
    highest: float
    start_value: float
    keep: int | None = None  # rows kept (descent/record.py)
    every: int = 1


def run_optimizer(
    problem: Problem, optimizer: Optimizer, settings: DescentSettings, progress: Progress | None = None
) -> Trajectory:
    """One run of ``optimizer`` on ``problem``: the loop, then its diagnosis, in one Trajectory.

    Stops when ‖∇f‖ ≤ tol (tol 0: never), after ``settings.steps`` updates, or as diverged when the
    point, f or ∇f stops being a finite number within HUGE or f gets WORSE times worse than at the
    start. ``progress(step, steps)`` is called every CHUNK steps and at the end.
    """
    start_value = _check_start(problem)
    spread = WORSE * max(abs(start_value), 1.0)
    if settings.maximize:
        bounds = (max(-HUGE, start_value - spread), HUGE)
    else:
        bounds = (-HUGE, min(HUGE, start_value + spread))
    limits = _Limits(settings.steps, settings.tol, *bounds, start_value, settings.keep, settings.every)
    rule = settings.update_rule(optimizer)
    rows, stop = _run(problem.value_and_grad, problem.start, rule, limits, progress)
    history, kept = rows.finish()
    diagnosis = diagnose(
        stop,
        history,
        count=rows.count,
        dimension=len(problem.start),
        learning_rate=settings.learning_rate,
        maximize=settings.maximize,
        curvature=problem.curvature,
        plain_gradient_descent=optimizer.name == "sgd",
    )
    return Trajectory(
        names=problem.names,
        optimizer=optimizer.name,
        hyperparameters=dict(optimizer.hyperparameters),
        settings=settings,
        curvature=problem.curvature,
        stop=stop,
        diagnosis=diagnosis,
        history=history,
        kept=kept,
        count=rows.count,
    )


def descend(
    value_and_grad: ValueAndGrad,
    start: Sequence[float],
    *,
    optimizer: Optimizer | str,
    curvature: float | None = None,
    progress: Progress | None = None,
    names: Sequence[str] | None = None,
    **options,
) -> Trajectory:
    """Run ``optimizer`` from ``start`` on f given as ``value_and_grad(point) -> (f, ∇f)``.

    ``options`` are the fields of DescentSettings: learning_rate, steps, tol, schedule, clip, maximize.
    """
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer)
    settings = DescentSettings((optimizer,), **options)
    return run_optimizer(Problem.of(value_and_grad, start, names, curvature), optimizer, settings, progress)


def compare_optimizers(
    value_and_grad: ValueAndGrad, start: Sequence[float], optimizers: Sequence[Optimizer | str], **options
) -> list[Trajectory]:
    """One ``descend`` run per optimizer, all from the same start with the same options."""
    return [descend(value_and_grad, start, optimizer=optimizer, **options) for optimizer in optimizers]


def _run(value_and_grad, point, rule: GradientTransformation, limits: _Limits, progress):
    """The loop: the rows, flat, and where and why it stopped."""
    lowest, highest, steps = limits.lowest, limits.highest, limits.steps
    rows = Rows(len(point), keep=limits.keep, every=limits.every)
    buffer: list[float] = []
    extend, append = buffer.extend, buffer.append
    hypot = math.hypot
    limit = limits.tol if limits.tol > 0 else -1.0  # a norm is never ≤ −1: tol 0 turns the test off
    # A rule that keeps no state but its step count can compute and apply the update in one call.
    advance = rule.fuse(len(point)) if rule.fuse is not None else None
    update, state = rule.update, rule.init(point)
    status = None
    k = low = 0
    try:
        while status is None:
            high = min(low + CHUNK, steps + 1)
            for k in range(low, high):
                value, gradient = value_and_grad(point)
                norm = hypot(*gradient)
                # One test catches NaN (every comparison with it is false), inf and huge numbers.
                if not (lowest <= value <= highest and norm + hypot(*point) <= HUGE):
                    status = Status.DIVERGED
                    break
                extend(point)
                append(value)
                extend(gradient)
                append(norm)
                if norm <= limit:
                    status = Status.CONVERGED
                    break
                if k == steps:
                    status = Status.MAX_STEPS
                    break
                if advance is not None:
                    point = advance(point, gradient, k)
                else:
                    updates, state = update(gradient, state)
                    point = tuple(map(add, point, updates))
            rows.add(buffer, low)
            buffer.clear()
            low = high
            if progress is not None:
                progress(k, steps)
    except _EVALUATION_ERRORS as error:
        rows.add(buffer, low)
        return rows, _failed(rows.count, k, point, error, limits.start_value)
    except Interrupted as signal:
        return rows, _interrupted(signal, rows, buffer, low, limits.start_value)
    if status is not Status.DIVERGED:
        return rows, Stop(status, k, point, value, norm, limits.start_value)
    if all(map(math.isfinite, (*point, value, *gradient))):
        rows.add([*point, value, *gradient, norm], k)
    kind = divergence_at(point, value, norm, (lowest, highest))
    return rows, Stop(status, k, point, value, norm, limits.start_value, kind)


def _interrupted(signal: Interrupted, rows: Rows, buffer: list[float], low: int, start_value: float) -> Stop:
    """The Stop of a run a signal stopped: the rows so far are kept, a row cut half-way is dropped."""
    exit_at_once()  # a second signal while the run is written out ends the process at once
    width = rows.width
    del buffer[len(buffer) - len(buffer) % width :]
    if rows.count == low:  # the signal came before this chunk's rows were recorded
        rows.add(buffer, low)
    if rows.count == 0:
        raise signal  # stopped before the start was recorded: there is nothing to show
    last = rows.finish()[0][-width:]
    n = (width - 2) // 2
    return Stop(
        Status.INTERRUPTED,
        rows.count - 1,
        tuple(last[:n]),
        last[n],
        last[-1],
        start_value,
        signum=signal.signum,
    )


def _failed(recorded: int, k: int, point, error: Exception, start_value: float) -> Stop:
    """The Stop of a run in which computing f, ∇f or the next point raised ``error`` at step k."""
    if recorded == k + 1:
        # Row k was recorded, so it was computing the next point that failed.
        kind, k = Divergence.UPDATE_FAILED, k + 1
    elif not all(map(math.isfinite, point)):
        kind = Divergence.POINT_NOT_FINITE
    elif isinstance(error, OverflowError):
        kind = Divergence.OVERFLOW
    else:
        kind = Divergence.OUTSIDE_DOMAIN
    return Stop(Status.DIVERGED, k, point, None, None, start_value, kind, _cause(error))


def _cause(error: Exception) -> str:
    if isinstance(error, TypeError):
        return "not a real number"
    if isinstance(error, ZeroDivisionError):
        return "division by zero"
    if str(error) == "math domain error":  # Python's words for log(0), sqrt(-1), acos(2)...
        return "outside the domain of a function in it"
    return str(error) or type(error).__name__


def _start_point(start: Sequence[float]) -> tuple[float, ...]:
    point = tuple(float(value) for value in start)
    if not point:
        raise InputError("the start point has no coordinates: give one number per variable in --start")
    if not all(map(math.isfinite, point)):
        raise InputError("the start point must be finite numbers: fix --start")
    if math.hypot(*point) > HUGE:
        raise InputError(f"the start point is farther than {brief(HUGE)} from the origin: fix --start")
    return point


def _check_start(problem: Problem) -> float:
    """f at the start, or MathError when f or ∇f is not a finite real number there."""
    point = problem.start
    where = point_text(problem.names, point)
    try:
        value, gradient = (problem.start_check or problem.value_and_grad)(point)
        norm = math.hypot(*gradient)
        finite = math.isfinite(value) and math.isfinite(norm)
    except _EVALUATION_ERRORS as error:
        raise MathError(
            f"f cannot be evaluated at the start ({where}): {_cause(error)}; choose another --start"
        ) from None
    if len(gradient) != len(point):
        raise ValueError(f"value_and_grad gave {len(gradient)} derivatives for {len(point)} variables")
    if not finite:
        what = "the gradient" if math.isfinite(value) else "f"
        raise MathError(f"{what} is not finite at the start ({where}): choose another --start")
    if abs(value) > HUGE or norm > HUGE:
        what = "‖∇f‖" if abs(value) <= HUGE else "f"
        raise MathError(f"{what} is too large at the start ({where}) to descend from: choose another --start")
    return value


def _variable_names(names: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if names is None:
        return ("x",) if n == 1 else tuple(f"x{i}" for i in range(1, n + 1))
    if len(names) != n:
        raise ValueError(f"{len(names)} names for {n} coordinates")
    return tuple(names)
