"""Why a descent run went wrong and what to try: the learning-rate dilemma made visible.

Plain gradient descent on a quadratic whose largest Hessian eigenvalue is L multiplies each error
component by (1 − lr·λ) per step: lr < 2/L converges, lr = 2/L bounces for ever, lr > 2/L blows up,
and lr = 1/L is safe while still fast along the steepest direction.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

from symgrad.descent.outcome import Divergence, Status, Stop, brief

# Bouncing: over the last _WINDOW steps some coordinate reverses at every step...
_WINDOW = 20
# ...and the step length shrinks by less than 5% a step: one more digit would take over 45 steps.
_BOUNCE_RATIO = 0.95
# Barely moving: a fitting learning rate shrinks ‖∇f‖ by orders of magnitude over a run, so a run that
# reaches the step limit without even halving ‖∇f‖ (and without bouncing) takes steps that are too short.
_SLOW_FRACTION = 0.5
# ...over at least this many steps: a run of --steps 3 is too short to call slow.
_SLOW_MIN_STEPS = 10


@dataclass(frozen=True)
class Diagnosis:
    """What to make of a run: advice for a diverged run, warnings for the others, and the --lr named."""

    warnings: tuple[str, ...] = ()  # each ends in what to try
    advice: str | None = None  # for a diverged run: the likely cause and what to try
    suggested_learning_rate: float | None = None
    bouncing: bool = False  # the last steps flip direction without shrinking


@dataclass(frozen=True)
class _Run:
    """The facts the diagnosis reads: the rows (flat, as the loop keeps them) and the settings."""

    history: array  # the rows kept: the first ones and at least the last 64 (descent/record.py)
    dimension: int
    learning_rate: float
    maximize: bool
    count: int  # rows recorded, kept or not

    def __len__(self) -> int:
        return self.count

    def gradient_norm(self, k: int) -> float:
        """‖∇f‖ at the first row (k = 0) or the last (k = −1)."""
        stride = 2 * self.dimension + 2
        rows = len(self.history) // stride
        return self.history[(k % rows) * stride + stride - 1]


def diagnose(
    stop: Stop,
    history: array,
    *,
    count: int | None = None,
    dimension: int,
    learning_rate: float,
    maximize: bool,
    curvature: float | None,
    plain_gradient_descent: bool,
) -> Diagnosis:
    """Advice for a diverged run, a warning for a run that hit the step limit in a telling way.

    ``curvature`` is L at the start; the bound 2/L it gives is plain gradient descent's, so it is used
    only when ``plain_gradient_descent``.
    """
    rows = len(history) // (2 * dimension + 2)
    run = _Run(history, dimension, learning_rate, maximize, rows if count is None else count)
    known = curvature is not None and math.isfinite(curvature) and curvature > 0
    curvature = curvature if known and plain_gradient_descent else None
    if stop.status is Status.DIVERGED:
        advice, suggestion = _divergence_advice(run, stop, curvature)
        return Diagnosis(advice=advice, suggested_learning_rate=suggestion)
    if stop.status is Status.MAX_STEPS:
        bouncing = _bouncing(run, curvature)
        found = bouncing or _unbounded(run) or _too_slow(run, curvature)
        if found:
            return Diagnosis((found[0],), None, found[1], bouncing is not None)
    return Diagnosis()


def _improves_steadily(run: _Run) -> bool:
    """f got better at each of the last steps: the mark of a function without a minimum, since an
    unstable step size makes f worse on the way out."""
    values = _tail(run, _WINDOW)[run.dimension :: 2 * run.dimension + 2]
    if run.maximize:
        values = [-v for v in values]
    return len(values) >= 3 and all(b < a for a, b in zip(values, values[1:]))


def _trend(run: _Run) -> str:
    trend, goal = ("increasing", "maximum") if run.maximize else ("decreasing", "minimum")
    return f"f keeps {trend} without bound, so it may have no {goal}"


def _unbounded(run: _Run) -> tuple[str, None] | None:
    first, last = run.gradient_norm(0), run.gradient_norm(-1)
    if not (_improves_steadily(run) and last >= first > 0):
        return None
    # Not "without bound": erf falls towards -1 in the same way, never reaching it.
    trend, goal = ("increasing", "maximum") if run.maximize else ("decreasing", "minimum")
    return (
        f"f kept {trend} while ‖∇f‖ did not shrink ({brief(first)} to {brief(last)}), so f may have "
        f"no {goal} to reach; check the function or --start"
    ), None


def _divergence_advice(run: _Run, stop: Stop, curvature: float | None) -> tuple[str, float | None]:
    lr = run.learning_rate
    suggestion = float(brief(lr / 10))
    if stop.divergence is Divergence.OUTSIDE_DOMAIN:
        if _improves_steadily(run):
            goal = "largest" if run.maximize else "lowest"
            return (
                f"f improved at every step up to the edge of its domain, so its {goal} values may lie "
                "on that edge; try another --start, or a smaller --lr to see it closer"
            ), None
        return f"a step jumped out of the domain of f; try a smaller --lr, e.g. {brief(suggestion)}", (
            suggestion
        )
    if _improves_steadily(run):
        return f"{_trend(run)}: check the function or --start", None
    if curvature is not None and lr >= 2 / curvature:
        suggestion = _round_down(1 / curvature)
        return f"{_versus_bound(lr, curvature)} for this function; try --lr {brief(suggestion)}", suggestion
    if curvature is not None:
        return (
            f"lr={brief(lr)} is below 2/L = {brief(2 / curvature)} at the start, but the curvature "
            f"grows along the way; try --lr {brief(suggestion)}"
        ), suggestion
    return f"lr={brief(lr)} is too large here; try a smaller --lr, e.g. {brief(suggestion)}", suggestion


def _bouncing(run: _Run, curvature: float | None) -> tuple[str, float] | None:
    tail = _tail(run, _WINDOW + 1)
    ratios = []
    for i in range(run.dimension):
        xs = tail[i :: 2 * run.dimension + 2]
        deltas = [b - a for a, b in zip(xs, xs[1:])]
        if len(deltas) >= 2 and all(d * e < 0 for d, e in zip(deltas, deltas[1:])):
            ratios.append((abs(deltas[-1]) / abs(deltas[0])) ** (1 / (len(deltas) - 1)))
    if not ratios or max(ratios) < _BOUNCE_RATIO:
        return None
    motion = "and grow" if max(ratios) > 1 / _BOUNCE_RATIO else "without shrinking"
    lr = run.learning_rate
    if curvature is not None and lr >= 2 / curvature:
        suggestion = _round_down(1 / curvature)
        why = f"{_versus_bound(lr, curvature)} for this function"
    else:
        suggestion = float(brief(lr / 10))
        why = f"lr={brief(lr)} is too large here"
    return f"the steps flip direction {motion}: {why}; try --lr {brief(suggestion)}", suggestion


def _too_slow(run: _Run, curvature: float | None) -> tuple[str, float | None] | None:
    first, last = run.gradient_norm(0), run.gradient_norm(-1)
    steps = len(run) - 1
    if steps < _SLOW_MIN_STEPS or not (first > 0 and _SLOW_FRACTION * first <= last <= first):
        return None
    lr = run.learning_rate
    moved = f"‖∇f‖ only went from {brief(first)} to {brief(last)} in {steps} steps"
    if curvature is not None and lr * curvature >= 0.5:
        return (
            f"{moved} although lr={brief(lr)} is near the limit 2/L = {brief(2 / curvature)}: "
            "f is badly conditioned; try --optimizer momentum or adam, or more --steps"
        ), None
    if curvature is not None:
        suggestion = _round_down(1 / curvature)
        why = f"lr={brief(lr)} is small next to 1/L = {brief(1 / curvature)}"
    else:
        suggestion = float(brief(lr * 10))
        why = f"lr={brief(lr)} may be too small"
    return f"{moved}: {why}; try --lr {brief(suggestion)} or more --steps", suggestion


def _tail(run: _Run, rows: int) -> array:
    """The last ``rows`` rows, flat: slicing the tail first keeps this cheap for a 10⁷-step run."""
    return run.history[-rows * (2 * run.dimension + 2) :]


def _versus_bound(lr: float, curvature: float) -> str:
    bound = 2 / curvature
    return f"lr={brief(lr)} is {'above' if lr > bound else 'not below'} 2/L = {brief(bound)}"


def _round_down(x: float) -> float:
    """x rounded down to one significant digit, so a suggestion stays on the safe side of a bound."""
    mantissa, exponent = f"{x:.15e}".split("e")
    return float(f"{mantissa[0]}e{exponent}")
