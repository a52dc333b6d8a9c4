"""What a plot shows, as numbers: sampled grids, view ranges and critical points (no drawing here).

>>> plot = prepare_plot("x**2")
>>> plot.variable, (float(plot.x[0]), float(plot.x[-1])), plot.critical[0].kind
(x, (-5.0, 5.0), 'minimum')
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from symgrad import calculus
from symgrad.calculus.grids import break_at_poles, only_where_defined, require, sample, view_range
from symgrad.errors import InputError
from symgrad.expression.points import format_point, read_value
from symgrad.expression.reading import Expression, read_expression

CURVE_POINTS = 801
FIELD_POINTS = 161
ARROWS = 19
DEFAULT_HALF_WIDTH = 5.0
# Far beyond anything worth drawing, and small enough that grid spacings and f's values stay floats.
RANGE_LIMIT = 1e100
# Solving f′ = 0 exactly is a nicety: past this many seconds the grid is searched instead.
SOLVE_SECONDS = 2.0


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient is zero, with f there and what kind of point it is."""

    point: tuple[float, ...]
    value: float
    kind: str  # minimum, maximum, saddle point or critical point (the test cannot tell)
    exact: bool  # from solving ∇f = 0 symbolically, else from sign changes on the grid


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
    critical: tuple[CriticalPoint, ...]


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
    given = {}
    names = function.names
    for part in re.split(r",(?![^(]*\))", text):
        name, equals, value = part.partition("=")
        name = name.strip()
        if not equals or not name:
            raise InputError(f"--at fixes variables by name, e.g. --at z=1; got {text!r}")
        if name not in names:
            raise InputError(f"--at names {name!r}, which is not a variable (variables: {', '.join(names)})")
        given[name] = read_value(value.strip(), f"the value of {name}")
    return {s: given[s.name] for s in function.variables if s.name in given}


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
    ranges: Sequence[str] = (),
    at: str | None = None,
    variables: str | None = None,
    second: bool = False,
) -> CurvePlot | FieldPlot:
    """Parse, slice (``--at``), differentiate and sample ``text`` for a plot of one or two variables."""
    function = read_expression(text, variables)
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
    expr = function.expr.xreplace(fixed)
    chosen = read_ranges(ranges, free)
    if len(free) == 1:
        return _curve(function, fixed, free[0], expr, chosen.get(free[0]), second)
    return _field(function, fixed, free, expr, chosen)


def _default_range(coordinates: Sequence[float]) -> tuple[float, float]:
    """±5 around the origin, or the critical points with a margin around them."""
    near = [c for c in coordinates if abs(c) < 1e6]
    if not near:
        return -DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH
    lo, hi = min(near), max(near)
    if lo >= -DEFAULT_HALF_WIDTH and hi <= DEFAULT_HALF_WIDTH:
        return -DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH
    margin = max(2.0, 0.5 * (hi - lo))
    return lo - margin, hi + margin


def _exact_roots(equations, unknowns) -> list[tuple[float, ...]] | None:
    """Real solutions of ``equations = 0`` within the solve budget; None if not found in time."""
    import sympy

    from symgrad.deadline import within

    found = None
    with within(SOLVE_SECONDS) as allowed:
        if not allowed:
            return None
        try:
            solutions = sympy.solve(list(equations), list(unknowns), dict=True)
        except (NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
            return None
        points = []
        for solution in solutions:
            if set(solution) != set(unknowns):
                return None  # a line or curve of critical points: leave it to the grid
            coordinates = []
            for u in unknowns:
                value = complex(sympy.N(solution[u]))
                if abs(value.imag) > 1e-9 * max(1.0, abs(value.real)):
                    break
                coordinates.append(value.real)
            else:
                points.append(tuple(coordinates))
        found = points
    return found


def _real_roots(derivative, variable, chosen) -> list[tuple[float]] | None:
    """The real zeros of f′ (within the range when there are infinitely many), None if not found."""
    import sympy

    from symgrad.deadline import within

    found = None
    with within(SOLVE_SECONDS) as allowed:
        if not allowed:
            return None
        try:
            solutions = sympy.solveset(derivative, variable, sympy.S.Reals)
            if not isinstance(solutions, sympy.FiniteSet):
                lo, hi = chosen or (-DEFAULT_HALF_WIDTH, DEFAULT_HALF_WIDTH)
                solutions = solutions.intersect(sympy.Interval(lo, hi))
            if isinstance(solutions, sympy.FiniteSet):
                found = [(float(sympy.N(r)),) for r in solutions]
        except (NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
            return None
    return found


def _curve(function, fixed, variable, expr, chosen, second) -> CurvePlot:
    np = require("numpy")
    derivative = calculus.derivative(expr, [variable])
    curvature = calculus.derivative(derivative, [variable])
    roots = None if derivative.free_symbols else []  # a line is flat everywhere: mark nothing
    if derivative.free_symbols:
        roots = _real_roots(derivative, variable, chosen)
    if roots is not None and any(not np.isfinite(r[0]) for r in roots):
        roots = None
    lo, hi = chosen or _default_range([r[0] for r in roots or ()])
    x = np.linspace(lo, hi, CURVE_POINTS)
    values, slopes, curvatures = sample((expr, derivative, curvature), [variable], [x])
    only_where_defined(values, (slopes, curvatures), f"{variable}={lo:g}:{hi:g}")
    if roots is None:
        roots = _sign_changes(x, slopes, derivative, variable)
        exact = False
    else:
        exact = True
    roots = sorted(r for r in roots if lo <= r[0] <= hi)
    critical = []
    for (r,) in roots:
        f, _, d2 = (float(v[0]) for v in sample((expr, derivative, curvature), [variable], [np.array([r])]))
        if not np.isfinite(f):
            continue
        kind = "minimum" if d2 > 1e-9 else "maximum" if d2 < -1e-9 else "critical point"
        critical.append(CriticalPoint((r,), f, kind, exact))
    view = view_range(values, slopes, curvatures if second else None)
    x, values, slopes, curvatures = break_at_poles(view, x, values, slopes, curvatures)
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
        view,
        tuple(critical),
    )


def _sign_changes(x, slopes, derivative, variable) -> list[tuple[float]]:
    """Where f′ crosses zero between grid points (not at a pole: f′ must be small there)."""
    np = require("numpy")
    zero = slopes == 0
    # A lone zero is a critical point; a run of them is a flat stretch (relu), marked nowhere.
    lone = zero & ~np.r_[False, zero[:-1]] & ~np.r_[zero[1:], False]
    roots = [(float(x[i]),) for i in np.flatnonzero(lone)]
    a, b = slopes[:-1], slopes[1:]
    for i in np.flatnonzero(np.isfinite(a) & np.isfinite(b) & (np.sign(a) * np.sign(b) < 0)):
        r = float(x[i] - a[i] * (x[i + 1] - x[i]) / (b[i] - a[i]))
        (at_root,) = sample([derivative], [variable], [np.array([r])])
        if np.isfinite(at_root[0]) and abs(at_root[0]) <= max(abs(a[i]), abs(b[i])):
            roots.append((r,))
    return roots


def _field(function, fixed, free, expr, chosen) -> FieldPlot:
    from sympy.functions.elementary.trigonometric import TrigonometricFunction

    np = require("numpy")
    gradient = calculus.gradient(expr, free)
    hessian = calculus.hessian(expr, free)
    roots = None if any(g.free_symbols for g in gradient) else []
    # solve gives one period of a periodic solution set: leave those to the grid search.
    periodic = any(g.has(TrigonometricFunction) for g in gradient)
    if any(g.free_symbols for g in gradient) and not periodic:
        roots = _exact_roots(gradient, free)
    if roots is not None and any(not np.all(np.isfinite(r)) for r in roots):
        roots = None
    exact = roots is not None
    x_range = chosen.get(free[0]) or _default_range([r[0] for r in roots or ()])
    y_range = chosen.get(free[1]) or _default_range([r[1] for r in roots or ()])
    x = np.linspace(*x_range, FIELD_POINTS)
    y = np.linspace(*y_range, FIELD_POINTS)
    X, Y = np.meshgrid(x, y)
    values, gx, gy = sample((expr, *gradient), free, [X, Y])
    ax_, ay_ = np.linspace(*x_range, ARROWS), np.linspace(*y_range, ARROWS)
    AX, AY = np.meshgrid(ax_, ay_)
    at_arrows, dx, dy = sample((expr, *gradient), free, [AX, AY])
    where = f"{free[0]}={x_range[0]:g}:{x_range[1]:g}, {free[1]}={y_range[0]:g}:{y_range[1]:g}"
    only_where_defined(values, (gx, gy), where)
    dx[np.isnan(at_arrows)] = dy[np.isnan(at_arrows)] = np.nan
    if roots is None:
        roots = _grid_critical_points(x, y, gx, gy, gradient, hessian, free)
    inside = [r for r in roots if x_range[0] <= r[0] <= x_range[1] and y_range[0] <= r[1] <= y_range[1]]
    critical = []
    hessian_entries = (hessian[0][0], hessian[0][1], hessian[1][1])
    for r in inside[:50]:
        point = [np.array([r[0]]), np.array([r[1]])]
        (f,) = (float(v[0]) for v in sample([expr], free, point))
        fxx, fxy, fyy = (float(v[0]) for v in sample(hessian_entries, free, point))
        if not np.isfinite(f):
            continue
        det = fxx * fyy - fxy**2
        kind = (
            "saddle point"
            if det < -1e-9
            else "minimum"
            if det > 1e-9 and fxx > 0
            else "maximum"
            if det > 1e-9 and fxx < 0
            else "critical point"
        )
        critical.append(CriticalPoint(tuple(r), f, kind, exact))
    view = view_range(values) or (-1.0, 1.0)
    return FieldPlot(
        function,
        fixed,
        tuple(free),
        expr,
        tuple(gradient),
        x,
        y,
        values,
        (AX, AY, dx, dy),
        view,
        tuple(critical),
    )


def _grid_critical_points(x, y, gx, gy, gradient, hessian, free) -> list[tuple[float, float]]:
    """Cells where both partial derivatives change sign, refined by a few Newton steps."""
    np = require("numpy")

    def changes(g):
        corners = np.stack([g[:-1, :-1], g[1:, :-1], g[:-1, 1:], g[1:, 1:]])
        # fmin/fmax skip NaN like nanmin/nanmax, without a warning for an all-NaN cell.
        low, high = np.fmin.reduce(corners, axis=0), np.fmax.reduce(corners, axis=0)
        return (low <= 0) & (high >= 0)

    with np.errstate(all="ignore"):
        cells = np.argwhere(changes(gx) & changes(gy))
    step = (x[1] - x[0], y[1] - y[0])
    found: list[tuple[float, float]] = []
    # Compiled once: a Newton step is then a float call, not a compilation.
    newton_terms = calculus.compile_function((*gradient, hessian[0][0], hessian[0][1], hessian[1][1]), free)

    def at(p):
        try:
            with np.errstate(all="ignore"):
                return [float(v) for v in newton_terms((float(p[0]), float(p[1])))]
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return [math.nan] * 5

    for row, col in cells[:200]:
        p = np.array([x[col] + step[0] / 2, y[row] + step[1] / 2])
        for _ in range(20):
            g1, g2, hxx, hxy, hyy = at(p)
            det = hxx * hyy - hxy**2
            if not np.isfinite(det) or abs(det) < 1e-12:
                break
            p = p - np.array([hyy * g1 - hxy * g2, -hxy * g1 + hxx * g2]) / det
        if abs(p[0] - x[col]) > 2 * abs(step[0]) or abs(p[1] - y[row]) > 2 * abs(step[1]):
            continue  # Newton left the cell: no critical point there after all
        g1, g2 = at(p)[:2]
        if not (np.isfinite(g1) and np.isfinite(g2)) or np.hypot(g1, g2) > 1e-6:
            continue
        if not np.isfinite(det) or abs(det) < 1e-12:
            continue  # a valley or ridge of critical points (x+y)**2: no single point to mark
        if all(np.hypot(p[0] - q[0], p[1] - q[1]) > 1e-6 for q in found):
            found.append((float(p[0]), float(p[1])))
    return found


def describe_fixed(fixed: dict) -> str:
    return f" at {format_point(fixed)}" if fixed else ""
