"""How a descent run ended, as facts: the loop writes them, the diagnosis and the views read them.

>>> stop = Stop(Status.CONVERGED, step=3, point=(2.0,), value=1.0, gradient_norm=4e-7, start_value=5.0)
>>> stop.reason(("x",), tol=1e-6, step_limit=100, optimizer="sgd")
'converged after 3 steps: ‖∇f‖ = 4e-7 ≤ tol = 1e-6'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from symgrad.interrupts import Interrupted

# Divergence bound for |f|, ‖∇f‖ and ‖x‖. Squares overflow to inf above about 1e154, and Adagrad,
# RMSprop and Adam square the gradient, so stopping at 1e150 keeps every number the optimizers compute
# finite; no run worth continuing passes through values this large.
HUGE = 1e150


class Status(StrEnum):
    """Why a run stopped, in the words its JSON uses."""

    CONVERGED = "converged"
    MAX_STEPS = "max_steps"
    DIVERGED = "diverged"
    INTERRUPTED = "interrupted"  # Ctrl-C, SIGTERM or SIGHUP stopped it: the rows so far are kept


class Divergence(StrEnum):
    """What went wrong in a diverged run."""

    UPDATE_FAILED = "update failed"  # computing the next point raised
    OUTSIDE_DOMAIN = "outside the domain"  # f or ∇f cannot be evaluated at the point
    OVERFLOW = "overflow"  # f or ∇f is beyond the range of floats
    POINT_NOT_FINITE = "point not finite"
    VALUE_TOO_LARGE = "value too large"  # |f| > HUGE, or f is NaN
    PAST_BOUND = "past the bound"  # f rose (fell, when maximizing) past the start by WORSE
    GRADIENT_TOO_LARGE = "gradient too large"
    POINT_TOO_FAR = "point too far"


@dataclass(frozen=True)
class Stop:
    """Where and why a run stopped: the step, the point there, and what was known about f at it.

    For a diverged run ``step`` is the step that failed and ``point`` its point; ``value`` and
    ``gradient_norm`` are None when they could not be computed there.
    """

    status: Status
    step: int
    point: tuple[float, ...]
    value: float | None
    gradient_norm: float | None
    start_value: float
    divergence: Divergence | None = None
    cause: str | None = None  # the evaluation error in words, for UPDATE_FAILED and OUTSIDE_DOMAIN
    signum: int | None = None  # for an interrupted run, the signal that stopped it

    def reason(
        self, names: tuple[str, ...], *, tol: float, step_limit: int, optimizer: str, function: str = "f"
    ) -> str:
        """One line: why the run stopped; ``function`` names f (fit calls its loss L)."""
        if self.status is Status.DIVERGED:
            return f"diverged at step {self.step}: {self._divergence(names, optimizer, function)}"
        if self.status is Status.INTERRUPTED:
            what = str(Interrupted(self.signum)) if self.signum is not None else "interrupted"
            return f"{what} after {self.step} step{'s' * (self.step != 1)}: the rows so far are shown"
        norm = brief(self.gradient_norm)
        if self.status is Status.CONVERGED:
            when = "at the start" if self.step == 0 else f"after {self.step} step{'s' * (self.step != 1)}"
            return f"converged {when}: ‖∇{function}‖ = {norm} ≤ tol = {brief(tol)}"
        if tol > 0:
            return f"reached the step limit of {step_limit} with ‖∇{function}‖ = {norm} > tol = {brief(tol)}"
        steps = f"{step_limit} step{'s' if step_limit != 1 else ''}"
        return f"ran all {steps} (tol 0 turns the convergence test off)"

    def _divergence(self, names: tuple[str, ...], optimizer: str, f: str) -> str:
        where = point_text(names, self.point)
        kind, value = self.divergence, self.value
        if kind is Divergence.UPDATE_FAILED:
            return f"the {optimizer} update failed ({self.cause})"
        if kind is Divergence.OUTSIDE_DOMAIN:
            return f"{f} cannot be evaluated at {where} ({self.cause})"
        if kind is Divergence.OVERFLOW:
            return f"{f} or ∇{f} is beyond the range of floats at {where}"
        if kind is Divergence.POINT_NOT_FINITE:
            return f"the point is not finite ({where})"
        if kind is Divergence.VALUE_TOO_LARGE:
            return f"{f} = {brief(value)} at {where}"
        if kind is Divergence.PAST_BOUND:
            moved = "rose" if value > self.start_value else "fell"
            return f"{f} {moved} from {brief(self.start_value)} to {brief(value)} ({where})"
        if kind is Divergence.GRADIENT_TOO_LARGE:
            return f"‖∇{f}‖ = {brief(self.gradient_norm)} at {where}"
        return f"the point is more than {brief(HUGE)} from the origin ({where})"


def divergence_at(point, value: float, norm: float, bounds: tuple[float, float]) -> Divergence:
    """Which bound a computed point, f and ‖∇f‖ broke (the loop found that one of them did)."""
    if not all(map(math.isfinite, point)):
        return Divergence.POINT_NOT_FINITE
    if not -HUGE <= value <= HUGE:
        return Divergence.VALUE_TOO_LARGE
    if not bounds[0] <= value <= bounds[1]:
        return Divergence.PAST_BOUND
    if not norm <= HUGE:
        return Divergence.GRADIENT_TOO_LARGE
    return Divergence.POINT_TOO_FAR


def point_text(names, point) -> str:
    """``x=1.5, y=-2``: a point in messages, six significant digits."""
    return ", ".join(f"{name}={value:.6g}" for name, value in zip(names, point))


def brief(x: float) -> str:
    """Three significant digits, always visibly a float (1.0, not 1), short exponents (1e-5)."""
    text = f"{x:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text + ".0" if text.lstrip("-").isdigit() else text
