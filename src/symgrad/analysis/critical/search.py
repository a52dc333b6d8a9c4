"""Numeric searches for points where ∇f = 0, for when SymPy cannot solve it exactly.

``NewtonSearch`` starts Newton's method at many places (``symgrad critical``); ``grid_search``
looks for sign changes of the gradient on a grid and refines them (``symgrad plot``).

>>> import sympy
>>> from symgrad.analysis.critical.compiled import derivatives
>>> x = sympy.Symbol("x", real=True)
>>> NewtonSearch(derivatives(x**2 - 2*x, [x])).run()
[({x: 1}, True)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import mpmath
import numpy
import sympy

from symgrad import calculus
from symgrad.analysis.critical.compiled import Derivatives
from symgrad.calculus.grids import sample
from symgrad.calculus.kinks import branches, nonsmooth
from symgrad.calculus.values import evaluate
from symgrad.errors import UndefinedValueError

# Newton starts at these scales and keeps the points inside the box: a periodic function has
# critical points without end, and a list of hundreds would help nobody.
SEARCH_SCALES = (1.0, 10.0)
SEARCH_BOX = 10.0
MAX_FLAT_EXAMPLES = 3
# Points found numerically this close together (relative), with ∇f zero between, are one point.
CLUSTER = 1e-3
# The grid search refines at most this many cells (a periodic f over a wide range has thousands).
MAX_CELLS = 200
# The largest integer coefficient of the relations that ``may_be_exact`` looks for.
_MAX_COEFFICIENT = 1000

_FLOAT_FAILURES = (ValueError, TypeError, ZeroDivisionError, OverflowError)


def close(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether two points agree to within rounding (relative 1e-6)."""
    return all(abs(u - v) <= 1e-6 * (1 + abs(u)) for u, v in zip(a, b))


class NewtonSearch:
    """Critical points from Newton's method (least-squares steps) started at many places."""

    def __init__(self, derivatives: Derivatives):
        self.derivatives = derivatives
        self.starts = 0
        self.flat: list[tuple[float, ...]] = []  # one point per flat region met by the search
        self._piecewise = derivatives.expr.has(*nonsmooth())

    def run(self, skip: Callable = lambda end: False) -> list[tuple[dict, bool]]:
        """The points found, each as (point, exact): exact where floats were recognised as exact values.

        ``skip(end)`` drops points already known before the costlier recognition.
        """
        n = len(self.derivatives.variables)
        rng = numpy.random.default_rng(0)
        starts = [numpy.zeros(n)]
        for scale in SEARCH_SCALES:
            starts += list(rng.uniform(-scale, scale, size=(60 if n <= 2 else 40, n)))
        self.starts = len(starts)
        found: list[tuple[float, ...]] = []
        for start in starts:
            end = self._newton(start)
            if end is None or max(abs(c) for c in end) > SEARCH_BOX:
                continue
            if not any(close(end, k) for k in found) and not skip(end):
                found.append(end)
        points = []
        for end in self._without_continua(found):
            point = self._recognise(end)
            if point is None:
                points.append(
                    ({v: sympy.Float(c, 15) for v, c in zip(self.derivatives.variables, end)}, False)
                )
            else:
                points.append((point, True))
        return points

    def same_point(self, a, b) -> bool:
        """Newton's method stalls near a degenerate point (x**6 at 0, where the Hessian vanishes)
        at slightly different places, with ∇f zero (as floats) between them: one point. Only a
        piecewise f can be flat on a whole region, so there the stalls must also be close."""
        near = max(abs(p - q) for p, q in zip(a, b)) <= CLUSTER * (1 + max(abs(c) for c in b))
        return (near or not self._piecewise) and self._flat_between(a, b)

    def _without_continua(self, ends: list) -> list:
        """Merge Newton's stalls around one degenerate point, and set aside points that lie in a
        whole region or line of critical points (relu for x < 0, relu(x)**2 + y**2 on y = 0),
        which Newton's method reaches anywhere: one example each.

        Points (on the same smooth piece of f) are joined when ∇f is also zero between them.
        """
        kept = []
        for members in self._by_piece(ends):
            while members:
                first, rest = members[0], members[1:]
                joined = [m for m in rest if self._flat_between(first, m)]
                rest = [m for m in rest if m not in joined]
                if any(not self.same_point(m, first) for m in joined):
                    if len(self.flat) < MAX_FLAT_EXAMPLES:
                        self.flat.append(first)
                else:  # alone, or the centre of a cluster of stalls: the one nearest ∇f = 0
                    kept.append(min([first, *joined], key=self._slope))
                members = rest
        return kept

    def _by_piece(self, ends: list) -> list[list]:
        """The points grouped by the smooth piece of a piecewise f they lie on (one group otherwise)."""
        groups: dict = {}
        for end in ends:
            piece = None
            if self._piecewise:
                try:
                    point = {v: sympy.Float(c, 30) for v, c in zip(self.derivatives.variables, end)}
                    piece = branches(self.derivatives.expr, point)
                except (TypeError, ValueError):
                    pass
            groups.setdefault(piece, []).append(end)
        return list(groups.values())

    def _slope(self, point) -> float:
        try:
            return math.hypot(*self.derivatives.g(point))
        except _FLOAT_FAILURES:
            return math.inf

    def _flat_between(self, a, b) -> bool:
        for t in (0.25, 0.5, 0.75):
            between = tuple(p + t * (q - p) for p, q in zip(a, b))
            try:
                if math.hypot(*self.derivatives.g(between)) > 1e-9:
                    return False
            except _FLOAT_FAILURES:
                return False
        return True

    def _newton(self, start) -> tuple[float, ...] | None:
        """Where Newton's method from ``start`` ends with ∇f zero, or None."""
        x = numpy.array(start, dtype=float)
        with numpy.errstate(all="ignore"):
            for _ in range(100):
                g, h = self._gradient_and_hessian(x)
                if g is None:
                    return None
                step = numpy.linalg.lstsq(h, g, rcond=None)[0]
                x = x - step
                if numpy.linalg.norm(x) > 1e8:
                    return None
                if numpy.linalg.norm(step) <= 1e-15 * (1 + numpy.linalg.norm(x)):
                    break
            else:
                # Still moving after 100 steps: a slope that only fades away (exp(-x**2) far
                # out) rather than a point where it is zero.
                if numpy.linalg.norm(step) > 1e-9 * (1 + numpy.linalg.norm(x)):
                    return None
            try:
                g = numpy.array(self.derivatives.g(tuple(x)), dtype=float)
            except _FLOAT_FAILURES:
                return None
        if not numpy.all(numpy.isfinite(g)) or numpy.linalg.norm(g) > 1e-9:
            return None
        return tuple(float(v) for v in x)

    def _gradient_and_hessian(self, x):
        """∇f and ∇²f at ``x`` as arrays, or (None, None) where either is undefined."""
        try:
            g = numpy.array(self.derivatives.g(tuple(x)), dtype=float)
            h = numpy.array(self.derivatives.h(tuple(x)), dtype=float).reshape(len(x), len(x))
        except _FLOAT_FAILURES:
            return None, None
        if not (numpy.all(numpy.isfinite(g)) and numpy.all(numpy.isfinite(h))):
            return None, None
        return g, h

    def _recognise(self, end: tuple[float, ...]) -> dict | None:
        """The exact point behind floats like 0.666666666667 or 1.5707963268, if ∇f is exactly 0."""
        if not all(abs(c) <= 1e-12 or may_be_exact(c) for c in end):
            return None
        try:
            guess = {
                v: sympy.nsimplify(c, [sympy.pi], tolerance=1e-9) if abs(c) > 1e-12 else sympy.S.Zero
                for v, c in zip(self.derivatives.variables, end)
            }
            if any(sympy.count_ops(value) > 12 for value in guess.values()):
                return None
            if all(evaluate(g, guess).exact == 0 for g in self.derivatives.gradient):
                return guess
        except (UndefinedValueError, ValueError, TypeError):
            return None
        return None


def may_be_exact(c: float) -> bool:
    """Whether ``c`` may be a short exact number that ``nsimplify`` would find: a rational plus a
    rational multiple of π, or a root of a quadratic with small integer coefficients (√2, the golden
    ratio). Integer relations (PSLQ) decide it in about 1 ms, where ``nsimplify`` spends 70 ms
    looking for a value that is not there, as at most points a numeric search finds.
    """
    with mpmath.workdps(15):
        tolerance = mpmath.mpf(1e-9) * max(1.0, abs(c))
        try:
            if mpmath.pslq([c, 1, mpmath.pi], tol=tolerance, maxcoeff=_MAX_COEFFICIENT, maxsteps=1000):
                return True
            return mpmath.findpoly(c, 2, maxcoeff=_MAX_COEFFICIENT) is not None
        except (ValueError, ZeroDivisionError):  # a value PSLQ cannot work with: let nsimplify try
            return True


def grid_search(derivatives: Derivatives, axes: Sequence, slopes: Sequence | None = None) -> list[tuple]:
    """Critical points of f of one or two variables inside the grid spanned by ``axes``.

    One variable: where f′ crosses zero between grid points (or is zero at a lone one). Two: cells
    where both partial derivatives change sign, refined by Newton's method. ``slopes`` are ∇f already
    sampled on the grid (numpy.meshgrid order), to save sampling it again.
    """
    variables = derivatives.variables
    if slopes is None:
        slopes = sample(derivatives.gradient, variables, numpy.meshgrid(*axes))
    if len(variables) == 1:
        return _sign_changes(axes[0], slopes[0], derivatives.gradient[0], variables[0])
    return _cells(derivatives, axes, slopes)


def _sign_changes(x, slopes, derivative, variable) -> list[tuple[float]]:
    """Where f′ crosses zero between grid points (not at a pole: f′ must be small there)."""
    zero = slopes == 0
    # A lone zero is a critical point; a run of them is a flat stretch (relu), marked nowhere.
    lone = zero & ~numpy.r_[False, zero[:-1]] & ~numpy.r_[zero[1:], False]
    roots = [(float(x[i]),) for i in numpy.flatnonzero(lone)]
    a, b = slopes[:-1], slopes[1:]
    for i in numpy.flatnonzero(numpy.isfinite(a) & numpy.isfinite(b) & (numpy.sign(a) * numpy.sign(b) < 0)):
        r = float(x[i] - a[i] * (x[i + 1] - x[i]) / (b[i] - a[i]))
        (at_root,) = sample([derivative], [variable], [numpy.array([r])])
        if numpy.isfinite(at_root[0]) and abs(at_root[0]) <= max(abs(a[i]), abs(b[i])):
            roots.append((r,))
    return roots


def _changes(g):
    """The cells of a grid where ``g`` takes both signs (or zero) at their corners."""
    corners = numpy.stack([g[:-1, :-1], g[1:, :-1], g[:-1, 1:], g[1:, 1:]])
    # fmin/fmax skip NaN like nanmin/nanmax, without a warning for an all-NaN cell.
    low, high = numpy.fmin.reduce(corners, axis=0), numpy.fmax.reduce(corners, axis=0)
    return (low <= 0) & (high >= 0)


def _cells(derivatives: Derivatives, axes: Sequence, slopes: Sequence) -> list[tuple[float, float]]:
    """Cells where both partial derivatives change sign, refined by a few Newton steps."""
    x, y = axes
    with numpy.errstate(all="ignore"):
        cells = numpy.argwhere(_changes(slopes[0]) & _changes(slopes[1]))
    step = (x[1] - x[0], y[1] - y[0])
    # Compiled once: a Newton step is then a float call, not a compilation.
    (hxx, hxy), (_, hyy) = derivatives.hessian
    terms = calculus.compile_function((*derivatives.gradient, hxx, hxy, hyy), derivatives.variables)
    found: list[tuple[float, float]] = []
    for row, col in cells[:MAX_CELLS]:
        p = _refine(terms, numpy.array([x[col] + step[0] / 2, y[row] + step[1] / 2]))
        if p is None or abs(p[0] - x[col]) > 2 * abs(step[0]) or abs(p[1] - y[row]) > 2 * abs(step[1]):
            continue  # Newton left the cell: no critical point there after all
        if all(numpy.hypot(p[0] - q[0], p[1] - q[1]) > 1e-6 for q in found):
            found.append((float(p[0]), float(p[1])))
    return found


def _refine(terms, p):
    """Newton's method for ∇f = 0 in two variables from ``p``; None where it finds no single point."""

    def at(p):
        try:
            with numpy.errstate(all="ignore"):
                return [float(v) for v in terms((float(p[0]), float(p[1])))]
        except _FLOAT_FAILURES:
            return [math.nan] * 5

    det = math.nan
    for _ in range(20):
        g1, g2, hxx, hxy, hyy = at(p)
        det = hxx * hyy - hxy**2
        if not numpy.isfinite(det) or abs(det) < 1e-12:
            break
        p = p - numpy.array([hyy * g1 - hxy * g2, -hxy * g1 + hxx * g2]) / det
    g1, g2 = at(p)[:2]
    if not (numpy.isfinite(g1) and numpy.isfinite(g2)) or numpy.hypot(g1, g2) > 1e-6:
        return None
    if not numpy.isfinite(det) or abs(det) < 1e-12:
        return None  # a valley or ridge of critical points (x+y)**2: no single point to mark
    return p
