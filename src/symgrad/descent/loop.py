"""The gradient-descent loop behind ``symgrad descend``, on compiled float functions.

>>> def parabola(point):
...     (x,) = point
...     return x * x - 4 * x + 5, (2 * x - 4,)
>>> run = descend(parabola, (0.0,), optimizer="sgd", learning_rate=0.1, steps=3, tol=0)
>>> [round(x, 12) for (x,) in run.points]
[0.0, 0.4, 0.72, 0.976]
"""

from __future__ import annotations

import dataclasses
import math
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import add

from symgrad.descent.diagnosis import OUTSIDE_DOMAIN, brief, diagnose
from symgrad.descent.optimizers import Optimizer, make_optimizer
from symgrad.descent.schedules import Schedule
from symgrad.errors import InputError, MathError

ValueAndGrad = Callable[[tuple[float, ...]], tuple[float, Sequence[float]]]

CONVERGED, MAX_STEPS, DIVERGED = "converged", "max_steps", "diverged"
# Divergence bound for |f|, ‖∇f‖ and ‖x‖. Squares overflow to inf above about 1e154, and Adagrad,
# RMSprop and Adam square the gradient, so stopping at 1e150 keeps every number the optimizers compute
# finite; no run worth continuing passes through values this large.
HUGE = 1e150
# A run that makes f this many times worse than at the start (in units of max(|f₀|, 1)) is not coming
# back: it is stopped as diverged long before HUGE (x² with lr 1.5 from 10: step 20 instead of 246).
WORSE = 1e12
# A row takes 8·(2n+2) bytes, so this keeps a two-variable run under 500 MB.
STEP_LIMIT = 10_000_000
# Rows go to a list first and into the compact array once per chunk, because appending to a list
# costs less per float; progress is reported at the same moments, so the loop needs no extra test.
CHUNK = 4096
# What the math module raises outside a function's domain; TypeError comes from complex results
# (a negative number to a fractional power), which cannot be compared with a bound.
_EVALUATION_ERRORS = (ValueError, OverflowError, ZeroDivisionError, TypeError)


@dataclass(frozen=True)
class Step:
    """One row of a trajectory: the point after ``step`` updates, f there, ∇f and ‖∇f‖."""

    step: int
    point: tuple[float, ...]
    value: float
    gradient: tuple[float, ...]
    gradient_norm: float


@dataclass(frozen=True)
class Trajectory:
    """A descent run: its settings, why it stopped, advice, and its rows (row k = after k updates).

    The rows live in one flat ``array('d')`` of 2n+2 floats each (point, f, ∇f, ‖∇f‖); the accessors
    build tuples only when asked.
    """

    names: tuple[str, ...]
    optimizer: str
    hyperparameters: dict[str, float]
    learning_rate: float
    schedule: Schedule | None
    step_limit: int
    tol: float
    clip: float | None
    maximize: bool
    curvature: float | None
    status: str  # CONVERGED, MAX_STEPS or DIVERGED
    reason: str  # one line: why the run stopped
    diverged_at: int | None  # the step whose point, f or ∇f failed; its row is kept when finite
    warnings: tuple[str, ...]  # problems seen in a run that did not diverge; each ends in what to try
    advice: str | None  # for a diverged run: the likely cause and what to try
    suggested_learning_rate: float | None  # the --lr that the warning or advice names, if any
    history: array = field(repr=False)

    @property
    def dimension(self) -> int:
        return len(self.names)

    @property
    def converged(self) -> bool:
        return self.status == CONVERGED

    @property
    def diverged(self) -> bool:
        return self.status == DIVERGED

    def __len__(self) -> int:
        return len(self.history) // (2 * self.dimension + 2)

    def __iter__(self) -> Iterator[Step]:
        return (self.row(k) for k in range(len(self)))

    def row(self, k: int) -> Step:
        """Row k (negative counts from the end)."""
        count, n = len(self), self.dimension
        if k < 0:
            k += count
        if not 0 <= k < count:
            raise IndexError(f"row {k} is outside a trajectory of {count} rows")
        r = self.history[k * (2 * n + 2) : (k + 1) * (2 * n + 2)]
        return Step(k, tuple(r[:n]), r[n], tuple(r[n + 1 : 2 * n + 1]), r[2 * n + 1])

    @property
    def final(self) -> Step:
        return self.row(-1)

    def coordinate(self, i: int) -> array:
        """Variable i at every row, as one array (for plots)."""
        return self.history[i :: 2 * self.dimension + 2]

    @property
    def points(self) -> list[tuple[float, ...]]:
        return list(zip(*(self.coordinate(i) for i in range(self.dimension))))

    @property
    def values(self) -> array:
        n = self.dimension
        return self.history[n :: 2 * n + 2]

    @property
    def gradients(self) -> list[tuple[float, ...]]:
        n = self.dimension
        return list(zip(*(self.history[n + 1 + i :: 2 * n + 2] for i in range(n))))

    @property
    def gradient_norms(self) -> array:
        n = self.dimension
        return self.history[2 * n + 1 :: 2 * n + 2]

    def sampled_steps(self, limit: int) -> tuple[int, ...]:
        """At most ``limit`` (≥ 2) row indices, evenly spread, always with the first and the last."""
        count = len(self)
        if count <= limit:
            return tuple(range(count))
        return tuple(sorted({round(i * (count - 1) / (limit - 1)) for i in range(limit)}))


def descend(
    value_and_grad: ValueAndGrad,
    start: Sequence[float],
    *,
    optimizer: Optimizer | str,
    learning_rate: float = 0.1,
    steps: int = 100,
    tol: float = 1e-6,
    schedule: Schedule | None = None,
    clip: float | None = None,
    maximize: bool = False,
    curvature: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    names: Sequence[str] | None = None,
) -> Trajectory:
    """Run ``optimizer`` from ``start`` on f given as ``value_and_grad(point) -> (f, ∇f)``.

    Stops when ‖∇f‖ ≤ tol (tol 0: never), after ``steps`` updates, or as diverged when the point, f or
    ∇f stops being a finite number within HUGE or f gets WORSE times worse than at the start.
    ``curvature`` is the largest Hessian eigenvalue at the start (of −f when maximizing), used only for
    advice. ``progress(step, steps)`` is called every CHUNK steps and at the end.
    """
    if isinstance(optimizer, str):
        optimizer = make_optimizer(optimizer)
    _check_options(learning_rate, steps, tol, clip)
    point = _start_point(start)
    names = _variable_names(names, len(point))
    start_value = _check_start(value_and_grad, point, names)
    spread = WORSE * max(abs(start_value), 1.0)
    if maximize:
        bounds = (max(-HUGE, start_value - spread), HUGE)
    else:
        bounds = (-HUGE, min(HUGE, start_value + spread))
    factor = None if schedule is None or schedule.is_constant else schedule.factor
    direction = _direction(maximize, clip)
    history, status, at, why = _run(
        value_and_grad,
        point,
        names,
        optimizer,
        float(learning_rate),
        steps,
        tol,
        factor,
        direction,
        bounds,
        progress,
    )
    last = len(history) // (2 * len(point) + 2) - 1
    if status == DIVERGED:
        reason = f"diverged at step {at}: {why}"
    elif status == CONVERGED:
        when = "at the start" if last == 0 else f"after {last} step{'s' * (last != 1)}"
        reason = f"converged {when}: ‖∇f‖ = {brief(why)} ≤ tol = {brief(tol)}"
    elif tol > 0:
        reason = f"reached the step limit of {steps} with ‖∇f‖ = {brief(why)} > tol = {brief(tol)}"
    else:
        reason = f"ran all {steps} step{'s' if steps != 1 else ''} (tol 0 turns the convergence test off)"
    run = Trajectory(
        names=names,
        optimizer=optimizer.name,
        hyperparameters=dict(optimizer.hyperparameters),
        learning_rate=float(learning_rate),
        schedule=schedule,
        step_limit=steps,
        tol=float(tol),
        clip=clip,
        maximize=bool(maximize),
        curvature=curvature,
        status=status,
        reason=reason,
        diverged_at=at if status == DIVERGED else None,
        warnings=(),
        advice=None,
        suggested_learning_rate=None,
        history=history,
    )
    warnings, advice, suggestion = diagnose(run)
    return dataclasses.replace(run, warnings=warnings, advice=advice, suggested_learning_rate=suggestion)


def compare_optimizers(
    value_and_grad: ValueAndGrad, start: Sequence[float], optimizers: Sequence[Optimizer | str], **options
) -> list[Trajectory]:
    """One ``descend`` run per optimizer, all from the same start with the same options."""
    return [descend(value_and_grad, start, optimizer=optimizer, **options) for optimizer in optimizers]


def _run(
    value_and_grad, point, names, optimizer, learning_rate, steps, tol, factor, direction, bounds, progress
):
    """The loop: (history, status, step at which it stopped, ‖∇f‖ there or why it diverged)."""
    lowest, highest = bounds  # for f
    stride = 2 * len(point) + 2
    history = array("d")
    buffer: list[float] = []
    extend, append = buffer.extend, buffer.append
    update, state = optimizer.update, optimizer.init(point)
    hypot = math.hypot
    limit = tol if tol > 0 else -1.0  # a norm is never ≤ −1: tol 0 turns the test off
    rate = learning_rate
    fast = len(point) if optimizer.name == "sgd" and len(point) <= 2 else 0
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
                    status = DIVERGED
                    break
                extend(point)
                append(value)
                extend(gradient)
                append(norm)
                if norm <= limit:
                    status = CONVERGED
                    break
                if k == steps:
                    status = MAX_STEPS
                    break
                if direction is not None:
                    gradient = direction(gradient, norm)
                if factor is not None:
                    rate = learning_rate * factor(k)
                # Plain SGD in one or two variables skips the optimizer call and the tuple building
                # (it halves the cost of a step); p − lr·g equals p + (−lr)·g exactly, as sgd computes.
                if fast == 2:
                    point = (point[0] - rate * gradient[0], point[1] - rate * gradient[1])
                elif fast == 1:
                    point = (point[0] - rate * gradient[0],)
                else:
                    updates, state = update(gradient, state, rate)
                    point = tuple(map(add, point, updates))
            history.fromlist(buffer)
            buffer.clear()
            low = high
            if progress is not None:
                progress(k, steps)
    except _EVALUATION_ERRORS as error:
        history.fromlist(buffer)
        where = _point(names, point)
        if len(history) // stride == k + 1:
            # Row k was recorded, so it was computing the next point that failed.
            return history, DIVERGED, k + 1, f"the {optimizer.name} update failed ({_cause(error)})"
        if not all(map(math.isfinite, point)):
            return history, DIVERGED, k, f"the point is not finite ({where})"
        if isinstance(error, OverflowError):
            return history, DIVERGED, k, f"f or ∇f is beyond the range of floats at {where}"
        return history, DIVERGED, k, f"{OUTSIDE_DOMAIN} {where} ({_cause(error)})"
    if status != DIVERGED:
        return history, status, k, norm
    if all(map(math.isfinite, (*point, value, *gradient))):
        history.extend((*point, value, *gradient, norm))
    return history, status, k, _divergence(names, point, value, norm, bounds, history[len(point)])


def _direction(maximize: bool, clip: float | None):
    """What the optimizer sees instead of ∇f: −∇f to maximize (as torch's maximize), clipped to norm."""
    if not maximize and clip is None:
        return None
    sign = -1.0 if maximize else 1.0

    def direction(gradient, norm):
        scale = sign * (clip / norm) if clip is not None and norm > clip else sign
        return tuple([scale * g for g in gradient])

    return direction


def _divergence(names, point, value, norm, bounds, start_value) -> str:
    where = _point(names, point)
    if not all(map(math.isfinite, point)):
        return f"the point is not finite ({where})"
    if not -HUGE <= value <= HUGE:
        return f"f = {brief(value)} at {where}"
    if not bounds[0] <= value <= bounds[1]:
        moved = "rose" if value > start_value else "fell"
        return f"f {moved} from {brief(start_value)} to {brief(value)} ({where})"
    if not norm <= HUGE:
        return f"‖∇f‖ = {brief(norm)} at {where}"
    return f"the point is more than {brief(HUGE)} from the origin ({where})"


def _cause(error: Exception) -> str:
    if isinstance(error, TypeError):
        return "not a real number"
    if isinstance(error, ZeroDivisionError):
        return "division by zero"
    if str(error) == "math domain error":  # Python's words for log(0), sqrt(-1), acos(2)...
        return "outside the domain of a function in it"
    return str(error) or type(error).__name__


def _check_options(learning_rate, steps, tol, clip) -> None:
    def positive(x) -> bool:
        return isinstance(x, (int, float)) and 0 < x < math.inf

    if not positive(learning_rate):
        raise InputError(f"--lr must be a positive number, got {learning_rate}: e.g. --lr 0.1")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise InputError(f"--steps must be a whole number ≥ 0, got {steps}: e.g. --steps 100")
    if steps > STEP_LIMIT:
        raise InputError(f"--steps {steps} is above the limit of {STEP_LIMIT}: ask for fewer steps")
    if not (isinstance(tol, (int, float)) and 0 <= tol < math.inf):
        raise InputError(f"--tol must be a number ≥ 0, got {tol}: e.g. --tol 1e-6 (0 turns the test off)")
    if clip is not None and not positive(clip):
        raise InputError(f"--clip must be a positive number, got {clip}: e.g. --clip 1")


def _start_point(start: Sequence[float]) -> tuple[float, ...]:
    point = tuple(float(value) for value in start)
    if not point:
        raise InputError("the start point has no coordinates: give one number per variable in --start")
    if not all(map(math.isfinite, point)):
        raise InputError("the start point must be finite numbers: fix --start")
    if math.hypot(*point) > HUGE:
        raise InputError(f"the start point is farther than {brief(HUGE)} from the origin: fix --start")
    return point


def _check_start(value_and_grad: ValueAndGrad, point, names) -> float:
    """f at the start, or MathError when f or ∇f is not a finite real number there."""
    where = _point(names, point)
    try:
        value, gradient = value_and_grad(point)
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


def _point(names: Sequence[str], point: Sequence[float]) -> str:
    return ", ".join(f"{name}={value:.6g}" for name, value in zip(names, point))
