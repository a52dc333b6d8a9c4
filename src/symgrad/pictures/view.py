"""A plot's range chosen from f's features: critical and inflection points, poles, the domain's edges.

The features are found cheaply, by sign changes and gaps on a probe grid (plus any exact critical
points SymPy has already found), never by solving anything new, so choosing a view costs a few
milliseconds. The view spans the features nearest the origin with a margin, and keeps to where f
has real values.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> choose_range(x**3 - 3*x, x, exact=[-1.0, 1.0]).bounds
(-2.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy

from symgrad import calculus
from symgrad.calculus.grids import sample

# The probe grid covers ±PROBE_HALF_WIDTH (and any exact critical point beyond it).
PROBE_HALF_WIDTH = 10.0
PROBE_POINTS = 4001
# The view is built from at most this many features nearest the origin (sin has them everywhere).
NEAREST = 5
# Beyond this the view stops following: a feature at 1e9 is not what the picture is about.
FAR = 1e6
# Where there is nothing to follow.
DEFAULT_HALF_WIDTH = 5.0
# |f| this many times its median, at a peak of |f| between two samples, is taken for a pole.
POLE_RATIO = 50.0


@dataclass(frozen=True)
class Feature:
    """Something the picture should show: its kind and where it lies (a coordinate per axis)."""

    kind: str  # "minimum", "maximum", "critical point", "saddle point", "inflection", "pole", "domain edge"
    at: tuple[float, ...]


@dataclass(frozen=True)
class ChosenRange:
    """A view's bounds on one axis and why they were chosen."""

    bounds: tuple[float, float]
    reason: str  # "around f's critical points and inflection points", or "the default ±5"
    features: tuple[Feature, ...] = ()


def probe_features(expr, variable, lo: float, hi: float) -> list[Feature]:
    """Inflection points, poles and domain edges of f(variable) on a grid over [lo, hi]."""
    x = numpy.linspace(lo, hi, PROBE_POINTS)
    slope = calculus.derivative(expr, [variable])
    values, curvatures = sample((expr, calculus.derivative(slope, [variable])), [variable], [x])
    features = [Feature("inflection", (c,)) for c in _sign_changes(x, curvatures)]
    features += _gaps(x, numpy.isfinite(values))
    features += [Feature("pole", (c,)) for c in _peaks(x, values)]
    # Gaps are found between samples: a round step puts log(x)'s edge at 0, not 0.0025.
    snap = 10 ** numpy.floor(numpy.log10(hi - lo)) / 1000
    features = [
        Feature(f.kind, (float(numpy.round(f.at[0] / snap) * snap) + 0.0,)) if f.kind != "inflection" else f
        for f in features
    ]
    return _distinct(features, (hi - lo) / (PROBE_POINTS - 1) * 3)


def _gaps(x, defined) -> list[Feature]:
    """Runs of samples where f has no value: a pole when short with values on both sides (1/x at 0),
    else the domain's edges."""
    edges = numpy.flatnonzero(numpy.diff(numpy.r_[1, defined.astype(int), 1]))
    features = []
    for start, stop in zip(edges[::2], edges[1::2]):  # undefined from start to stop − 1
        inside = 0 < start and stop < len(x)
        if inside and stop - start <= 2:
            features.append(Feature("pole", (float((x[start - 1] + x[stop]) / 2),)))
            continue
        if start > 0:
            features.append(Feature("domain edge", (float((x[start - 1] + x[start]) / 2),)))
        if stop < len(x):
            features.append(Feature("domain edge", (float((x[stop - 1] + x[stop]) / 2),)))
    return features


def _sign_changes(x, values) -> list[float]:
    """Where ``values`` crosses zero between two finite samples, by linear interpolation."""
    a, b = values[:-1], values[1:]
    with numpy.errstate(invalid="ignore"):
        crossing = numpy.isfinite(a) & numpy.isfinite(b) & (a * b < 0)
        # A crossing between samples that leap over a pole is not a zero (tan″ at π/2).
        crossing &= numpy.abs(b - a) < 1e3 * (numpy.nanmedian(numpy.abs(values)) + 1e-300)
    # A zero that falls on a sample, between samples of opposite signs (x³ − 3x″ at 0).
    with numpy.errstate(invalid="ignore"):
        on = (values[1:-1] == 0) & (values[:-2] * values[2:] < 0)
    where = numpy.flatnonzero(crossing)
    exact = [float(x[i + 1]) for i in numpy.flatnonzero(on)]
    return exact + [float(x[i] - a[i] * (x[i + 1] - x[i]) / (b[i] - a[i])) for i in where]


def _peaks(x, values) -> list[float]:
    """Interior peaks of |f| far above its typical size, where f leaps to the other sign: poles."""
    size = numpy.abs(values)
    finite = size[numpy.isfinite(size)]
    if finite.size < 3:
        return []
    typical = float(numpy.median(finite)) + 1e-12
    with numpy.errstate(invalid="ignore"):
        big = size[:-1] > POLE_RATIO * typical
        leap = (values[:-1] * values[1:] < 0) & big & (size[1:] > POLE_RATIO * typical)
    return [float((x[i] + x[i + 1]) / 2) for i in numpy.flatnonzero(leap)]


def _distinct(features: list[Feature], tolerance: float) -> list[Feature]:
    kept: list[Feature] = []
    for feature in sorted(features, key=lambda f: f.at):
        if not any(k.kind == feature.kind and abs(k.at[0] - feature.at[0]) < tolerance for k in kept):
            kept.append(feature)
    return kept


def span_with_margin(coordinates: Sequence[float]) -> tuple[float, float] | None:
    """The features nearest the origin, with half their spread (at least 1, 2 around one point)."""
    near = sorted((c for c in coordinates if abs(c) < FAR), key=abs)[:NEAREST]
    if not near:
        return None
    lo, hi = min(near), max(near)
    margin = max(1.0, 0.5 * (hi - lo)) if hi - lo > 1e-9 else 2.0
    return _round_out(lo - margin, hi + margin)


def _round_out(lo: float, hi: float) -> tuple[float, float]:
    """Ends rounded outwards to a step that suits the width, so the axis reads -2 to 2, not -2.07."""
    step = 10 ** numpy.floor(numpy.log10(hi - lo)) / 4
    # A feature found on the grid sits a rounding error off its value: 2.0000001 is still 2.
    return float(numpy.floor(lo / step + 1e-6) * step), float(numpy.ceil(hi / step - 1e-6) * step)


def choose_range(expr, variable, exact: Sequence[float] = ()) -> ChosenRange:
    """The view of f(variable): its features with a margin, kept to where f is defined."""
    far = max([PROBE_HALF_WIDTH, *(abs(c) * 1.5 for c in exact if abs(c) < FAR)])
    probed = probe_features(expr, variable, -far, far)
    features = tuple(probed)
    bounds = span_with_margin([*exact, *(f.at[0] for f in probed)])
    reason = _reason(bool(exact), probed)
    if bounds is None:
        bounds, reason = (-DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH), f"the default ±{DEFAULT_HALF_WIDTH:g}"
    return ChosenRange(keep_to_domain(expr, variable, bounds), reason, features)


def _reason(critical: bool, probed: list[Feature]) -> str:
    names = {"inflection": "inflection points", "pole": "poles", "domain edge": "domain edges"}
    kinds = (["critical points"] if critical else []) + [
        names[k] for k in names if any(f.kind == k for f in probed)
    ]
    if not kinds:
        return ""
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return f"around f's {listed}"


def keep_to_domain(expr, variable, bounds: tuple[float, float]) -> tuple[float, float]:
    """``bounds`` cut to where f is defined (log(x): from 0), moved off the edge to keep their width
    when f is defined there too."""
    lo, hi = bounds
    defined = _defined(expr, variable, lo, hi)
    if not defined.any() or defined.all():
        return bounds
    x = numpy.linspace(lo, hi, PROBE_POINTS)
    where = numpy.flatnonzero(defined)
    # The edge lies between two samples: snapped to a round step, log(x) starts at 0, not 0.001.
    snap = 10 ** numpy.floor(numpy.log10(hi - lo)) / 100
    cut_lo = lo if where[0] == 0 else float(numpy.round(x[where[0]] / snap) * snap)
    cut_hi = hi if where[-1] == len(x) - 1 else float(numpy.round(x[where[-1]] / snap) * snap)
    moved = (cut_lo, cut_lo + hi - lo) if cut_hi == hi else (cut_hi - (hi - lo), cut_hi)
    if (cut_lo == lo or cut_hi == hi) and _defined(expr, variable, *moved)[1:-1].all():
        return moved
    return cut_lo, cut_hi


def _defined(expr, variable, lo: float, hi: float):
    (values,) = sample((expr,), [variable], [numpy.linspace(lo, hi, PROBE_POINTS)])
    return numpy.isfinite(values)


def keep_field_to_domain(expr, variables, x_range, y_range) -> tuple[tuple, tuple]:
    """Both ranges of a field cut to the rows and columns where f has a value somewhere
    (log(x) + y²: x from 0), snapped to a round step."""
    n = 201
    xs, ys = numpy.linspace(*x_range, n), numpy.linspace(*y_range, n)
    (values,) = sample((expr,), list(variables), numpy.meshgrid(xs, ys))
    defined = numpy.isfinite(values)
    if not defined.any():
        return x_range, y_range
    return _cut(xs, defined.any(axis=0), x_range), _cut(ys, defined.any(axis=1), y_range)


def _cut(axis, defined, bounds) -> tuple[float, float]:
    where = numpy.flatnonzero(defined)
    snap = 10 ** numpy.floor(numpy.log10(bounds[1] - bounds[0])) / 100
    # Outwards to the round step: the picture keeps the edge's last values (log(x) + y² from x = 0).
    lo = bounds[0] if where[0] == 0 else float(numpy.floor(axis[where[0]] / snap + 1e-6) * snap) + 0.0
    hi = (
        bounds[1]
        if where[-1] == len(axis) - 1
        else float(numpy.ceil(axis[where[-1]] / snap - 1e-6) * snap) + 0.0
    )
    return (lo, hi) if hi > lo else tuple(bounds)
