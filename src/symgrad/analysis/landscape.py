"""What f looks like where a descent stopped: the facts behind a run's verdict.

A run that stops with a small gradient may sit at a minimum, a saddle point or a maximum, or on a
plateau far from any of them; a run that keeps improving may be heading down a slope without end.
The Hessian at the final point, the exact critical points (when they can be had in time) and a limit
along the path tell these apart.

>>> from symgrad.expression.reading import read_expression
>>> judge = Judge(read_expression("x**2 - y**2"), maximize=False)
>>> verdict = judge.verdict(Ending(point=(0.0, 0.0), start=(1.0, 0.0), gradient_norm=0.0,
...                                converged=True, diverged=False, learning_rate=0.1))
>>> verdict.kind, verdict.direction
('saddle', (0.0, 1.0))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
import sympy

from symgrad import calculus
from symgrad.analysis import limits
from symgrad.analysis.critical.compiled import Derivatives, derivatives
from symgrad.analysis.critical.points import critical_points_of
from symgrad.analysis.flatness import faded_factor
from symgrad.deadline import within
from symgrad.errors import SymgradError
from symgrad.expression.floats import number
from symgrad.expression.reading import Expression

# Kinds of verdict, in the words the text and JSON use.
MINIMUM, MAXIMUM, SADDLE, PLATEAU = "minimum", "maximum", "saddle", "plateau"
UNBOUNDED, TOO_SLOW, TOO_LARGE = "unbounded", "too slow", "too large"
# The exact critical points and limits are worth at most this many seconds (half of what the
# command's time limit has left, when that is less).
BUDGET = 5.0
# A gradient this small, beside a Hessian this flat, with no critical point within NEAR, is a plateau:
# the run has not reached a point where ∇f = 0, the slope has only faded.
FLAT_GRADIENT = 1e-3
FLAT_CURVATURE = 1e-2
NEAR = 1e-2
# lr·L below this is "far below 1/L": a hundred steps move the error by less than e^-1 along the
# flattest direction that matters.
SLOW = 0.05


@dataclass(frozen=True)
class Ending:
    """How a run ended, in the terms the verdict needs (the descent loop's facts, as plain numbers)."""

    point: tuple[float, ...]
    start: tuple[float, ...]
    gradient_norm: float
    converged: bool  # ‖∇f‖ ≤ tol
    diverged: bool
    learning_rate: float
    bouncing: bool = False  # the steps flip direction without shrinking
    start_gradient_norm: float | None = None  # ‖∇f‖ at the start; None: not known
    start_curvature: float | None = None  # L at the start (of −f when maximizing); None: not known


@dataclass(frozen=True)
class KnownPoint:
    """A critical point found exactly: where it is, f there, and its kind."""

    point: tuple[float, ...]
    value: float
    kind: str


@dataclass(frozen=True)
class Verdict:
    """What the final point of a run is: ``kind`` is None when none can be decided."""

    kind: str | None
    is_global: bool | None  # for a minimum (maximum when maximizing): the lowest critical point known
    text: str  # one line for people
    direction: tuple[float, ...] | None = None  # for a saddle: the unit direction in which f falls
    suggested_learning_rate: float | None = None


class Judge:
    """Gives the verdict on runs over one function; its critical points are looked for once.

    ``gradient`` and ``hessian`` (a ``calculus.Hessian``) are ∇f and ∇²f when the caller has them
    already; otherwise they are worked out here.
    """

    def __init__(
        self,
        function: Expression,
        *,
        maximize: bool,
        budget: float = BUDGET,
        gradient: Sequence | None = None,
        hessian: calculus.Hessian | None = None,
    ):
        self.function, self.maximize, self.budget = function, maximize, budget
        self.sign = -1.0 if maximize else 1.0  # verdicts are about g = sign·f, which the run minimizes
        self._gradient = tuple(gradient) if gradient is not None else None
        if hessian is None:
            hessian = calculus.Hessian.of(function.expr, function.variables)
        self._hessian = hessian
        self._derivatives: Derivatives | None = None
        self._known: tuple[KnownPoint, ...] | None = None
        self._complete = False
        self._looked = False

    def verdict(self, ending: Ending) -> Verdict:
        """The verdict on one run."""
        eigenvalues, vectors = self._curvature(ending.point)
        if ending.diverged or not (ending.converged or ending.gradient_norm < FLAT_GRADIENT):
            return self._moving(ending, eigenvalues)
        near = self._nearest(ending.point)
        if near is not None and _distance(near.point, ending.point) <= NEAR * (1 + _norm(ending.point)):
            kind = {"minimum": MINIMUM, "maximum": MAXIMUM, "saddle": SADDLE}.get(near.kind)
            if self.maximize and kind in (MINIMUM, MAXIMUM):
                kind = MINIMUM if kind == MAXIMUM else MAXIMUM
            if kind is not None:
                return self._stationary(kind, ending, eigenvalues, vectors)
        if eigenvalues is None:
            return Verdict(None, None, "undecided: the Hessian has no value at the final point")
        scale = max(abs(v) for v in eigenvalues)
        if scale < FLAT_CURVATURE and not ending.converged:
            return self._plateau(ending, near)
        if scale < FLAT_CURVATURE and near is None and self._known is not None:
            return self._plateau(ending, near)
        if min(eigenvalues) > 1e-9 * max(scale, 1.0):
            return self._stationary(MINIMUM, ending, eigenvalues, vectors)
        if max(eigenvalues) < -1e-9 * max(scale, 1.0):
            return self._stationary(MAXIMUM, ending, eigenvalues, vectors)
        if min(eigenvalues) < 0 < max(eigenvalues):
            return self._stationary(SADDLE, ending, eigenvalues, vectors)
        return Verdict(None, None, "undecided: the Hessian is singular here and no critical point is known")

    # --- runs that stopped at a critical point -------------------------------------------------

    def _stationary(self, kind: str, ending: Ending, eigenvalues, vectors) -> Verdict:
        goal = "maximum" if self.maximize else "minimum"
        if kind == SADDLE:
            direction = _downhill(eigenvalues, vectors)
            where = _vector(direction) if direction is not None else "some direction"
            return Verdict(
                SADDLE,
                None,
                f"saddle point, not a {goal}: f {'rises' if self.maximize else 'falls'} along {where}; "
                "a small push escapes it, e.g. --noise 0.01",
                direction,
            )
        if kind == MAXIMUM:  # of g: a maximum of f when minimizing, a minimum of f when maximizing
            other = "minimum" if self.maximize else "maximum"
            return Verdict(
                MAXIMUM if not self.maximize else MINIMUM,
                None,
                f"a {other}, not a {goal}: the run started where ∇f = 0; start elsewhere",
            )
        is_global, detail = self._global(ending)
        return Verdict(MAXIMUM if self.maximize else MINIMUM, is_global, f"{goal}{detail}")

    def _global(self, ending: Ending) -> tuple[bool | None, str]:
        """Whether the final point is the best critical point known, and a few words saying so."""
        known = self._critical_points()
        if known is None:
            return None, " (whether it is global is not known: the critical points were not found in time)"
        near = self._nearest(ending.point)
        at = (
            near.point
            if near and _distance(near.point, ending.point) <= NEAR * (1 + _norm(ending.point))
            else None
        )
        here = self.sign * (near.value if at is not None else self._value(ending.point))
        better = [p for p in known if self.sign * p.value < here - 1e-9 * max(1.0, abs(here))]
        if better:
            best = min(better, key=lambda p: self.sign * p.value)
            return False, (
                f", local only: f = {number(best.value, 6)} at {self._where(best.point)} is "
                f"{'higher' if self.maximize else 'lower'}"
            )
        if self._escapes():
            return False, f", local only: f {'rises' if self.maximize else 'falls'} without bound elsewhere"
        if not self._complete:
            return None, " (the best critical point found, but the search may have missed some)"
        count = len(known)
        return True, f" (global: the {'best' if self.maximize else 'lowest'} of {count} critical point" + (
            "s)" if count != 1 else ")"
        )

    # --- runs still moving ---------------------------------------------------------------------

    def _moving(self, ending: Ending, eigenvalues) -> Verdict:
        # Only a run that blew up, or whose slope kept its steepness, can be heading down for ever: one
        # whose gradient faded (x³ from 1 creeping to 0) is slowing towards a point.
        fading = ending.start_gradient_norm is not None and ending.gradient_norm < ending.start_gradient_norm
        if (ending.diverged or not fading) and self._falls_without_bound(ending):
            return self._unbounded(ending)
        if ending.diverged or ending.bouncing:
            top = max(eigenvalues) if eigenvalues is not None else None
            if top is not None and top > 0 and ending.learning_rate >= 2 / top:
                suggestion = _round_down(1 / top)
                return Verdict(
                    TOO_LARGE,
                    None,
                    f"lr too large: lr={number(ending.learning_rate, 3)} is not below 2/L = "
                    f"{number(2 / top, 3)}, so the steps overshoot; try --lr {number(suggestion, 3)}",
                    suggested_learning_rate=suggestion,
                )
            return Verdict(None, None, "undecided: the run did not settle")
        if eigenvalues is not None:
            top = max(max(eigenvalues), ending.start_curvature or 0.0)
            if top > 0 and ending.learning_rate * top < SLOW and ending.gradient_norm >= FLAT_GRADIENT:
                suggestion = _round_down(1 / top)
                return Verdict(
                    TOO_SLOW,
                    None,
                    f"too slow: lr={number(ending.learning_rate, 3)} is far below 1/L = {number(1 / top, 3)} "
                    f"(L = {number(top, 3)}, the largest curvature here); try --lr {number(suggestion, 3)}",
                    suggested_learning_rate=suggestion,
                )
            if max(abs(v) for v in eigenvalues) < FLAT_CURVATURE and ending.gradient_norm < 0.1:
                return self._plateau(ending, self._nearest(ending.point))
        return self._on_its_way(ending)

    def _on_its_way(self, ending: Ending) -> Verdict:
        """A run still moving at the step limit: where it seems to be going, without a verdict."""
        text = f"not settled: ‖∇f‖ = {number(ending.gradient_norm, 3)} at the step limit"
        near = self._nearest(ending.point)
        if near is not None:
            text += f"; the nearest critical point, {self._where(near.point)}, is {_a(near.kind)}"
        return Verdict(None, None, text + "; try more --steps")

    def _unbounded(self, ending: Ending) -> Verdict:
        verb, goal = ("rises", "maximum") if self.maximize else ("falls", "minimum")
        text = f"unbounded: f {verb} without bound along the path, so there is no {goal} to reach"
        known = self._critical_points() or ()
        opposite = MINIMUM if self.maximize else MAXIMUM
        if any(p.kind == opposite for p in known):
            text += f"; f has a {opposite}: " + (
                "leave out --maximize to find it" if self.maximize else "was --maximize meant?"
            )
        return Verdict(UNBOUNDED, None, text)

    def _plateau(self, ending: Ending, near: KnownPoint | None) -> Verdict:
        text = f"plateau: ‖∇f‖ = {number(ending.gradient_norm, 2)} has faded far from any critical point"
        if near is not None:
            text += f" (the nearest, {self._where(near.point)}, is {_a(near.kind)})"
        cause = faded_factor(self.function, ending.point)
        if cause:
            text += f"; {cause}"
        return Verdict(PLATEAU, None, text)

    # --- facts, each within the budget --------------------------------------------------------

    def _critical_points(self) -> tuple[KnownPoint, ...] | None:
        if self._looked:
            return self._known
        self._looked = True
        result = None
        with within(self.budget) as allowed:
            if allowed:
                try:
                    result = critical_points_of(self.function, self._compiled())
                except SymgradError:
                    result = None
        if result is None:
            return None
        points = [
            KnownPoint(p.numeric, p.value_numeric, p.classification.kind)
            for p in result.points
            if p.value_numeric is not None and math.isfinite(p.value_numeric)
        ]
        self._known = tuple(points)
        self._complete = result.complete and not result.families and not result.flat
        return self._known

    def _compiled(self) -> Derivatives:
        """f, ∇f and ∇²f, symbolic and compiled, made once (with the ∇f and ∇²f given, if any)."""
        if self._derivatives is None:
            expr, variables = self.function.expr, self.function.variables
            self._derivatives = derivatives(expr, variables, self._gradient, self._hessian)
        return self._derivatives

    def _nearest(self, point: Sequence[float]) -> KnownPoint | None:
        known = self._critical_points()
        if not known:
            return None
        return min(known, key=lambda p: _distance(p.point, point))

    def _escapes(self) -> bool:
        """Whether f goes past every value (down, or up when maximizing) along some axis."""
        found = False
        with within(self.budget / 2) as allowed:
            if allowed:
                t = sympy.Symbol("t", real=True)
                variables = self.function.variables
                for v in variables:
                    axis = {u: t if u == v else sympy.Integer(0) for u in variables}
                    for end in (sympy.oo, -sympy.oo):
                        if limits.falls_without_bound(self.function.expr, axis, t, end, self.sign):
                            found = True
                            return found
        return found

    def _falls_without_bound(self, ending: Ending) -> bool:
        """Whether g = sign·f tends to −∞ on the ray from the start through the final point."""
        step = [b - a for a, b in zip(ending.start, ending.point)]
        length = _norm(step)
        if not (length > 0 and math.isfinite(length)):
            return False
        direction = [sympy.Rational(round(s / length, 6)) for s in step]
        t = sympy.Symbol("t", positive=True)
        ray = {
            v: sympy.Rational(round(p, 6)) + d * t
            for v, p, d in zip(self.function.variables, ending.start, direction)
        }
        found = False
        with within(self.budget / 2) as allowed:
            if allowed:
                try:
                    found = limits.falls_without_bound(self.function.expr, ray, t, sympy.oo, self.sign)
                except (NotImplementedError, ValueError, TypeError):
                    found = False
        return found

    # --- numbers -------------------------------------------------------------------------------

    def _curvature(self, point: Sequence[float]):
        try:
            matrix = numpy.array(self._hessian.at(point), dtype=float)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return None, None
        if not numpy.all(numpy.isfinite(matrix)):
            return None, None
        eigenvalues, vectors = numpy.linalg.eigh(self.sign * matrix)
        return tuple(float(v) for v in eigenvalues), vectors

    def _value(self, point: Sequence[float]) -> float:
        return float(self._compiled().f(tuple(point)))

    def _where(self, point: Sequence[float]) -> str:
        return ", ".join(f"{name} = {number(value, 6)}" for name, value in zip(self.function.names, point))


_NAMED = {"saddle": "a saddle point", "inflection": "an inflection point", "degenerate": "a degenerate point"}


def _a(kind: str) -> str:
    """A critical point's kind with its article: a minimum, an inflection point."""
    return _NAMED.get(kind, f"a {kind}")


def _downhill(eigenvalues, vectors) -> tuple[float, ...] | None:
    if vectors is None:
        return None
    vector = vectors[:, int(numpy.argmin(eigenvalues))]
    largest = int(numpy.argmax(numpy.abs(vector)))
    if vector[largest] < 0:
        vector = -vector  # a direction and its opposite both go down; show the one that reads positive
    return tuple(0.0 if abs(float(c)) < 1e-12 else float(c) for c in vector)


def _vector(values: Sequence[float]) -> str:
    return "(" + ", ".join(number(v, 4) for v in values) + ")"


def _distance(a: Sequence[float], b: Sequence[float]) -> float:
    return math.dist(a, b)


def _norm(v: Sequence[float]) -> float:
    return math.hypot(*v)


def _round_down(x: float) -> float:
    """x rounded down to one significant digit, so a suggestion stays on the safe side of a bound."""
    mantissa, exponent = f"{x:.15e}".split("e")
    return float(f"{mantissa[0]}e{exponent}")
