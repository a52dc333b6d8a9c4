"""What a plot shows, as numbers: sampled grids, view ranges and critical points (no drawing here).

>>> plot = prepare_plot("x**2")
>>> plot.variable, (float(plot.x[0]), float(plot.x[-1])), mark(plot.critical[0])
(x, (-2.0, 2.0), 'minimum')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy
import sympy

from symgrad import calculus
from symgrad.analysis.critical.classify import Classifier, CriticalPoint
from symgrad.analysis.critical.compiled import Derivatives, derivatives
from symgrad.analysis.critical.exact import solve_within
from symgrad.analysis.critical.search import grid_search
from symgrad.calculus.grids import break_at_poles, only_where_defined, sample, view_range
from symgrad.calculus.kinks import derivative_at
from symgrad.calculus.values import evaluate
from symgrad.errors import InputError, MathError, UndefinedValueError
from symgrad.expression.points import format_point, read_point, read_value, split_top_level
from symgrad.expression.reading import Expression, read_expression
from symgrad.pictures.view import (
    DEFAULT_HALF_WIDTH,
    PROBE_HALF_WIDTH,
    Feature,
    choose_range,
    keep_field_to_domain,
    span_with_margin,
)

CURVE_POINTS = 801
FIELD_POINTS = 161
ARROWS = 19
# Far beyond anything worth drawing, and small enough that grid spacings and f's values stay floats.
RANGE_LIMIT = 1e100
# Solving ∇f = 0 exactly is a nicety: past this many seconds the grid is searched instead.
SOLVE_SECONDS = 2.0
# A field marks at most this many critical points (a periodic f has them all over).
MAX_FIELD_MARKS = 50
# What a plot's legend calls a point of each kind; an inflection, a jump or a point the tests
# cannot decide is just a critical point.
_MARK_NAMES = {"minimum": "minimum", "maximum": "maximum", "saddle": "saddle point"}


def mark(point: CriticalPoint) -> str:
    """A plot's name for a critical point: minimum, maximum, saddle point or critical point."""
    return _MARK_NAMES.get(point.classification.kind, "critical point")


@dataclass(frozen=True, eq=False)
class Tangent:
    """The tangent line y = f(a) + f′(a)·(x − a) of a curve, exact, and sampled on the curve's grid."""

    at: object  # sympy number a
    line: object  # sympy.Expr in the plot's variable
    value: float  # f(a)
    ys: object  # numpy array on the curve's x


@dataclass(frozen=True, eq=False)
class CurvePlot:
    """f, f′ (and f″) of one variable sampled on a grid; NaN where a value does not exist."""

    function: Expression
    fixed: dict  # the other variables held at these values (--at)
    variable: object  # sympy.Symbol
    expr: object
    derivative: object
    second: object | None
    x: object  # numpy arrays from here on
    values: object
    slopes: object
    curvatures: object | None
    y_view: tuple[float, float] | None  # a y range that ignores poles (1/x), None: let it be
    critical: tuple[CriticalPoint, ...]  # inside the range, by x
    tangent: Tangent | None = None  # --tangent
    range_reason: str = ""  # why this range, when symgrad chose it ("" for --range)
    features: tuple[Feature, ...] = ()  # inflection points, poles, domain edges inside the range


@dataclass(frozen=True, eq=False)
class FieldPlot:
    """f of two variables on a grid and its gradient on a coarser grid of arrows."""

    function: Expression
    fixed: dict
    variables: tuple  # (horizontal, vertical) sympy.Symbols
    expr: object
    gradient: tuple
    x: object  # 1-D
    y: object  # 1-D
    values: object  # 2-D, rows follow y
    arrows: tuple  # (X, Y, dX, dY) 2-D arrays of the gradient
    z_view: tuple[float, float]
    critical: tuple[CriticalPoint, ...]
    range_reason: str = ""  # why these ranges, when symgrad chose them ("" for --range)

    @property
    def names(self) -> tuple[str, str]:
        return self.variables[0].name, self.variables[1].name

    @property
    def f_name(self) -> str:
        return f"f({', '.join(self.names)})"


def read_fixed(function: Expression, text: str | None) -> dict:
    """The variables that ``--at z=1,w=0`` holds fixed, in variable order."""
    if not text:
        return {}
    parts = split_top_level(text)
    names = [part.partition("=")[0].strip() for part in parts]
    if any("=" not in part for part in parts) or not all(names):
        raise InputError(f"--at fixes variables by name, e.g. --at z=1; got {text!r}")
    for name in names:
        if name not in function.names:
            known = ", ".join(function.names)
            raise InputError(f"--at names {name!r}, which is not a variable (variables: {known})")
    # The fixed variables are a point of their own: read it as every other command reads --at.
    named = tuple(s for s in function.variables if s.name in names)
    return read_point(Expression(function.text, function.expr, named), text)


def read_ranges(texts: Sequence[str], free: Sequence) -> dict:
    """``x=-2:2`` per variable → {symbol: (lo, hi)} as floats."""
    by_name = {s.name: s for s in free}
    ranges = {}
    for text in texts:
        name, _, bounds = text.partition("=")
        lo_text, colon, hi_text = bounds.partition(":")
        name = name.strip()
        if not colon or not lo_text.strip() or not hi_text.strip():
            raise InputError(f"--range takes VAR=LO:HI, e.g. x=-2:2 or x=0:2*pi; got {text!r}")
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise InputError(f"--range names {name!r}, which is not a plotted variable ({known})")
        if by_name[name] in ranges:
            raise InputError(f"--range gives {name} twice: give one range per variable")
        lo = float(read_value(lo_text.strip(), f"the low end of the {name} range"))
        hi = float(read_value(hi_text.strip(), f"the high end of the {name} range"))
        if not lo < hi:
            raise InputError(f"--range {text}: the low end must be below the high end")
        if max(abs(lo), abs(hi)) > RANGE_LIMIT:
            raise InputError(f"--range {text}: the ends must lie within ±{RANGE_LIMIT:g}")
        ranges[by_name[name]] = (lo, hi)
    return ranges


def prepare_plot(
    text: str,
    *,
    ranges: Sequence[str] = (),
    at: str | None = None,
    variables: str | None = None,
    second: bool = False,
    let: Sequence[str] = (),
    tangent: str | None = None,
) -> CurvePlot | FieldPlot:
    """Parse, slice (``--at``), differentiate and sample ``text`` for a plot of one or two variables."""
    function = read_expression(text, variables, let=let)
    fixed = read_fixed(function, at)
    free = tuple(s for s in function.variables if s not in fixed)
    if not function.variables:
        raise InputError("the expression has no variable to plot against; name one with --vars x")
    if not free:
        raise InputError("--at fixes every variable: leave one or two free to plot")
    if len(free) > 2:
        keep = ", ".join(s.name for s in free[:2])
        rest = ",".join(f"{s.name}=0" for s in free[2:])
        raise InputError(
            f"a plot shows one or two variables, and {len(free)} are free "
            f"({', '.join(s.name for s in free)}); fix the others with --at, e.g. --at {rest} "
            f"to plot against {keep}"
        )
    if second and len(free) != 1:
        raise InputError("--second draws f″ of one variable; this plot has two")
    if tangent is not None and len(free) != 1:
        raise InputError(
            "--tangent draws the tangent line of a function of one variable; this plot has two "
            "(symgrad taylor --order 1 gives the tangent plane)"
        )
    expr = function.expr.xreplace(fixed)
    chosen = read_ranges(ranges, free)
    if len(free) == 1:
        curve = _curve(function, fixed, free[0], expr, chosen.get(free[0]), second)
        if tangent is None:
            return curve
        return replace(
            curve, tangent=tangent_line(replace(function, variables=free, constants=()), curve, tangent)
        )
    return _field(function, fixed, free, expr, chosen)


def tangent_line(function: Expression, curve: CurvePlot, text: str) -> Tangent:
    """The tangent to ``curve`` at the point ``text`` (x=1 or 1), or an error where f′ does not exist."""
    point = read_point(function, text, "--tangent")
    (a,) = point.values()
    x = curve.variable
    try:
        value = evaluate(curve.expr, point).exact
        slope = derivative_at(curve.expr, [x], point, curve.derivative).exact
    except UndefinedValueError as error:
        raise MathError(f"no tangent line at {format_point(point)}: {error}") from None
    line = value + slope * (x - a)
    ys = float(value) + float(slope) * (curve.x - float(a))
    return Tangent(a, line, float(value), ys)


def _default_range(coordinates: Sequence[float]) -> tuple[float, float]:
    """The critical points' coordinates on one axis with a margin, or ±5 when there are none."""
    return span_with_margin(coordinates) or (-DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH)


def _exact_solutions(d: Derivatives, window: tuple[float, float]) -> list[dict] | None:
    """The solutions of ∇f = 0 that SymPy finds in time (with one variable, those of a periodic
    family inside ``window``); None when the grid must be searched instead."""
    if not any(g.free_symbols for g in d.gradient):
        return []  # ∇f is constant: zero nowhere, or everywhere (no point to mark)
    return solve_within(d.variables, d.gradient, SOLVE_SECONDS, window)


def _critical_in(d: Derivatives, solutions, axes: Sequence, slopes: Sequence, most=None) -> tuple:
    """The critical points inside the grid ``axes``, classified: the exact ``solutions``, or when
    there are none (None), what a search of the grid finds."""
    box = [(float(axis[0]), float(axis[-1])) for axis in axes]
    classifier = Classifier(d)
    if solutions is not None:
        inside = [p for p in solutions if _inside([float(v) for v in p.values()], box)]
        points = [classifier.solution(p) for p in inside[:most]]
    else:
        inside = [r for r in grid_search(d, axes, slopes) if _inside(r, box)]
        # The grid search has found ∇f ≈ 0 there: no second test of how small it is.
        points = [
            classifier.point(
                {v: sympy.Float(c, 15) for v, c in zip(d.variables, r)}, False, zero_slope=math.inf
            )
            for r in inside[:most]
        ]
    return tuple(p for p in points if p is not None and p.value_numeric is not None)


def _inside(coordinates: Sequence[float], box: Sequence) -> bool:
    return all(lo <= c <= hi for c, (lo, hi) in zip(coordinates, box))


def _curve(function, fixed, variable, expr, chosen, second) -> CurvePlot:
    derivative = calculus.derivative(expr, [variable])
    curvature = calculus.derivative(derivative, [variable])
    d = derivatives(expr, (variable,), (derivative,), ((curvature,),))
    solutions = _exact_solutions(d, chosen or (-PROBE_HALF_WIDTH, PROBE_HALF_WIDTH))
    view = None if chosen else choose_range(expr, variable, [float(p[variable]) for p in solutions or ()])
    lo, hi = chosen or view.bounds
    x = numpy.linspace(lo, hi, CURVE_POINTS)
    values, slopes, curvatures = sample((expr, derivative, curvature), [variable], [x])
    only_where_defined(values, (slopes, curvatures), f"{variable}={lo:g}:{hi:g}")
    critical = sorted(_critical_in(d, solutions, [x], [slopes]), key=lambda p: p.numeric)
    y_view = view_range(values, slopes, curvatures if second else None)
    x, values, slopes, curvatures = break_at_poles(y_view, x, values, slopes, curvatures)
    features = () if view is None else tuple(f for f in view.features if lo <= f.at[0] <= hi)
    return CurvePlot(
        function,
        fixed,
        variable,
        expr,
        derivative,
        curvature if second else None,
        x,
        values,
        slopes,
        curvatures if second else None,
        y_view,
        tuple(critical),
        range_reason="" if view is None else view.reason,
        features=features,
    )


def _field(function, fixed, free, expr, chosen) -> FieldPlot:
    d = derivatives(expr, free)
    solutions = _exact_solutions(d, (-PROBE_HALF_WIDTH, PROBE_HALF_WIDTH))
    numeric = [[float(v) for v in p.values()] for p in solutions or ()]
    cut = False
    x_range = chosen.get(free[0]) or _default_range([r[0] for r in numeric])
    y_range = chosen.get(free[1]) or _default_range([r[1] for r in numeric])
    if not all(v in chosen for v in free):
        cut_x, cut_y = keep_field_to_domain(expr, free, x_range, y_range)
        cut = (chosen.get(free[0]) or cut_x, chosen.get(free[1]) or cut_y) != (x_range, y_range)
        x_range, y_range = chosen.get(free[0]) or cut_x, chosen.get(free[1]) or cut_y
    x, y = numpy.linspace(*x_range, FIELD_POINTS), numpy.linspace(*y_range, FIELD_POINTS)
    values, gx, gy = sample((expr, *d.gradient), free, numpy.meshgrid(x, y))
    where = f"{free[0]}={x_range[0]:g}:{x_range[1]:g}, {free[1]}={y_range[0]:g}:{y_range[1]:g}"
    only_where_defined(values, (gx, gy), where)
    critical = _critical_in(d, solutions, [x, y], [gx, gy], most=MAX_FIELD_MARKS)
    view = view_range(values) or (-1.0, 1.0)
    return FieldPlot(
        function,
        fixed,
        tuple(free),
        expr,
        d.gradient,
        x,
        y,
        values,
        _arrows(d, x_range, y_range),
        view,
        critical,
        range_reason=_field_reason(free, chosen, numeric, cut),
    )


def _field_reason(free, chosen: dict, numeric: list, cut: bool) -> str:
    """Why the ranges not given with --range are what they are."""
    if all(v in chosen for v in free):
        return ""
    reason = "around f's critical points" if numeric else f"the default ±{DEFAULT_HALF_WIDTH:g}"
    return reason + (", kept to where f is defined" if cut else "")


def _arrows(d: Derivatives, x_range, y_range) -> tuple:
    """The gradient on a coarse grid, (X, Y, dX, dY), NaN where f is undefined."""
    AX, AY = numpy.meshgrid(numpy.linspace(*x_range, ARROWS), numpy.linspace(*y_range, ARROWS))
    at_arrows, dx, dy = sample((d.expr, *d.gradient), d.variables, [AX, AY])
    dx[numpy.isnan(at_arrows)] = dy[numpy.isnan(at_arrows)] = numpy.nan
    return AX, AY, dx, dy


def describe_fixed(fixed: dict) -> str:
    return f" at {format_point(fixed)}" if fixed else ""


def exact_minima(expr, variables) -> list[tuple[float, ...]]:
    """The minima of f that SymPy solves ∇f = 0 for exactly (quickly), as coordinates; [] otherwise."""
    d = derivatives(expr, tuple(variables))
    solutions = _exact_solutions(d, (-PROBE_HALF_WIDTH, PROBE_HALF_WIDTH))
    classifier = Classifier(d)
    points = [classifier.solution(p) for p in (solutions or ())[:MAX_FIELD_MARKS]]
    return [p.numeric for p in points if p is not None and mark(p) == "minimum"]
