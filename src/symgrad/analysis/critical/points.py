"""The results behind ``symgrad critical``: where the gradient is zero, and what kind of point it is.

Exact solutions come from SymPy when it finds them in time; otherwise Newton's method from many
starts finds points numerically. Each point is classified by the Hessian's eigenvalues; when that
test cannot decide, by higher derivatives (one variable) or by sampling a small neighbourhood.

>>> result = critical_points("x**3 - 3*x + y**2")
>>> [(p.numeric, p.classification.kind) for p in result.points]
[((-1.0, 0.0), 'saddle'), ((1.0, 0.0), 'minimum')]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from symgrad import calculus
from symgrad.analysis.critical.exact import solve_gradient
from symgrad.analysis.hessian import curvature
from symgrad.calculus.kinks import branches, derivative_at, nonsmooth
from symgrad.calculus.values import evaluate
from symgrad.deadline import within
from symgrad.errors import InputError, NotDifferentiableError, UndefinedValueError
from symgrad.expression.printing import to_text
from symgrad.expression.reading import Expression, read_expression

# Newton starts at these scales and keeps the points inside the box: a periodic function has
# critical points without end, and a list of hundreds would help nobody.
SEARCH_SCALES = (1.0, 10.0)
SEARCH_BOX = 10.0
# The higher-derivative test goes this far; for a polynomial, whose derivatives stay small, as far as
# symgrad differentiates at all (x**20 is a minimum by its 20th derivative).
HIGHEST_DERIVATIVE_TEST = 12
SAMPLING_RADII = (1e-3, 1e-2, 1e-1)
MAX_FLAT_EXAMPLES = 3
# Points found numerically this close together (relative), with ∇f zero between, are one point.
CLUSTER = 1e-3


@dataclass(frozen=True)
class Classification:
    kind: str  # minimum, maximum, saddle, inflection, degenerate
    test: str  # "second derivative", "derivative 4", "sampling", "none"
    eigenvalues: tuple[float, ...]  # of the Hessian at the point (empty when it is undefined)
    note: str = ""


@dataclass(frozen=True)
class CriticalPoint:
    point: dict  # sympy.Symbol -> exact value, or sympy.Float when found numerically
    numeric: tuple[float, ...]
    value: object  # f at the point (sympy.Expr)
    value_numeric: float | None
    exact: bool
    classification: Classification


@dataclass(frozen=True)
class Family:
    """Infinitely many critical points, e.g. ``x = y`` or ``x = 2*n*pi + pi/2``."""

    solution: dict  # sympy.Symbol -> sympy.Expr in the parameters
    parameters: tuple  # free symbols of the solution
    integer: bool  # the parameters are integers (a periodic family), else real numbers
    value: object  # f on the family
    example: CriticalPoint  # one member, with its classification


@dataclass(frozen=True)
class CriticalResult:
    function: Expression
    gradient: tuple
    points: tuple[CriticalPoint, ...]
    families: tuple[Family, ...]
    complete: bool  # every critical point is among points and families
    method: str  # "exact", "numeric" or "exact + numeric"
    note: str
    # Where ∇f is zero on a whole region (relu for x < 0): one point found in each, not listed above.
    flat: tuple[tuple[float, ...], ...] = ()


def critical_points(text: str, *, variables: str | None = None) -> CriticalResult:
    """Solve ∇f = 0 over the reals for ``text`` and classify every solution."""
    function = read_expression(text, variables)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    gradient = calculus.gradient(function.expr, function.variables)
    hessian = calculus.hessian(function.expr, function.variables)
    tools = _Tools(function, gradient, hessian)
    from sympy import ceiling, floor

    if all(component == 0 for component in gradient) and function.expr.has(floor, ceiling):
        # floor′ = 0 between the jumps: f is piecewise constant, not constant.
        note = "the gradient is zero wherever f has one: f is flat between its jumps (floor, ceiling)"
        middle = tuple(0.5 for _ in function.variables)
        return CriticalResult(function, gradient, (), (), False, "exact", note, (middle,))
    if all(component == 0 for component in gradient):
        family = Family({}, function.variables, False, function.expr, tools.point({}, exact=True))
        note = "the gradient is zero everywhere: f is constant, every point is critical"
        return CriticalResult(function, gradient, (), (family,), True, "exact", note)

    from sympy import Float

    solved = None
    with within(3600.0) as allowed:
        if allowed:
            solved = solve_gradient(function.variables, gradient)
    points, families, complete = solved if solved is not None else ([], [], False)
    method, note = "exact", ""
    if solved is None:
        method = "numeric"
        note = "SymPy could not solve ∇f = 0 exactly (in the time allowed); "
    elif not complete:
        method = "exact + numeric"
        note = "SymPy may miss solutions of equations that are not polynomial; "
    exact_points = [tools.point(p, exact=not any(v.atoms(Float) for v in p.values())) for p in points]
    exact_points = [p for p in exact_points if p is not None]
    found = [tools.family(solution, integer) for solution, integer in families]
    found = [f for f in found if f is not None]
    # The numeric search runs even after an exact solve: SymPy's solve can silently drop real
    # solutions of polynomial systems (x**5 + y**5 - 5*x*y + x**3*y**2 loses its minimum).
    known = [p.numeric for p in exact_points]
    extra = tools.search(
        skip=lambda end: (
            any(_close(end, k) or tools.same_point(end, k) for k in known)
            or any(_on_family(end, f, function.variables) for f in found)
        )
    )
    # A stall recognised as an exact point may be one SymPy gave already.
    extra = [p for p in extra if not any(_close(p.numeric, k) for k in known)]
    search = (
        f"a numeric search (Newton's method from {tools.starts} starts within "
        f"[-{SEARCH_BOX:g}, {SEARCH_BOX:g}] in every variable) added the points marked numeric; "
        "there may be others"
    )
    if extra and complete:
        complete, method = False, "exact + numeric"
        note = "SymPy's exact solution missed points that a numeric search found; "
    if not complete:
        exact_points += extra
        note += search
    if tools.flat:
        complete = False
        note += ("; " if note else "") + "f is flat on whole regions, where every point is critical"
    exact_points.sort(key=lambda p: p.numeric)
    return CriticalResult(
        function, gradient, tuple(exact_points), tuple(found), complete, method, note, tuple(tools.flat)
    )


def _on_family(numeric: Sequence[float], family: Family, variables: Sequence) -> bool:
    """Whether a point found numerically is a member of ``family`` (to within rounding)."""
    import sympy

    coordinates = dict(zip(variables, numeric))
    try:
        if family.integer:
            (n,) = family.parameters
            (symbol, expr), *_ = [(s, e) for s, e in family.solution.items() if e.has(n)]
            start = float(expr.xreplace({n: sympy.Integer(0)}))
            period = float(expr.xreplace({n: sympy.Integer(1)})) - start
            k = (coordinates[symbol] - start) / period
            return abs(k - round(k)) < 1e-6
        values = {p: coordinates.get(p, 0.0) for p in family.parameters}
        member = [float(e.xreplace(values)) for e in family.solution.values()]
    except (TypeError, ValueError, ZeroDivisionError, KeyError):
        return False
    return _close(numeric, member)


def _close(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(abs(u - v) <= 1e-6 * (1 + abs(u)) for u, v in zip(a, b))


class _Tools:
    """Compiled f, gradient and Hessian of one function, and the classification of its points."""

    def __init__(self, function: Expression, gradient, hessian):
        self.function, self.gradient, self.hessian = function, gradient, hessian
        self.variables = function.variables
        self._f = calculus.compile_function(function.expr, self.variables)
        self._g = calculus.compile_function(tuple(gradient), self.variables)
        self._h = calculus.compile_function(hessian, self.variables)
        self.starts = 0
        self.flat: list[tuple[float, ...]] = []  # one point per flat region met by the search
        self._piecewise = function.expr.has(*nonsmooth())

    def point(self, point: dict, exact: bool) -> CriticalPoint | None:
        """A solution as a classified CriticalPoint; None where f or ∇f is undefined."""
        kink = None
        try:
            value = evaluate(self.function.expr, point)
            numeric = tuple(evaluate(v, {}).numeric for v in point.values())
            if exact:
                slopes = [
                    derivative_at(self.function.expr, [v], point, g).numeric
                    for v, g in zip(self.variables, self.gradient)
                ]
            else:
                slopes = list(self._g(numeric))
        except NotDifferentiableError as error:
            # SymPy's conventions (sign(0) = 0, floor' = 0) made ∇f zero at a kink or a jump.
            kink, slopes = str(error), [0.0]
            numeric = tuple(evaluate(v, {}).numeric for v in point.values())
        except (UndefinedValueError, ValueError, ZeroDivisionError, OverflowError):
            return None
        if any(s is None or abs(s) > 1e-8 for s in slopes) or None in numeric:
            return None
        kind = self.classify(point, numeric, exact) if kink is None else self._by_sampling(numeric, (), kink)
        return CriticalPoint(point, numeric, value.exact, value.numeric, exact, kind)

    def family(self, solution: dict, integer: bool) -> Family | None:
        import sympy

        parameters = tuple(sorted(set().union(*(v.free_symbols for v in solution.values())), key=str))
        for choice in (0, 1, 2):
            example = {
                v: value.xreplace({p: sympy.Integer(choice) for p in parameters})
                for v, value in solution.items()
            }
            member = self.point(example, exact=True)
            if member is not None:
                value = calculus.tidy(sympy.expand(self.function.expr.xreplace(solution)))
                return Family(solution, parameters, integer, value, member)
        return None

    def classify(self, point: dict, numeric: tuple[float, ...], exact: bool) -> Classification:
        try:
            if exact:
                matrix = [[evaluate(entry, point).numeric for entry in row] for row in self.hessian]
            else:
                matrix = [list(row) for row in self._h(numeric)]
            if any(v is None or not math.isfinite(v) for row in matrix for v in row):
                raise ValueError
        except (UndefinedValueError, ValueError, ZeroDivisionError, OverflowError):
            return self._by_sampling(numeric, (), "the Hessian is undefined here")
        shape = curvature(matrix)
        kinds = {"positive definite": "minimum", "negative definite": "maximum", "indefinite": "saddle"}
        if shape.definiteness in kinds:
            return Classification(kinds[shape.definiteness], "second derivative", shape.eigenvalues)
        if len(self.variables) == 1 and exact:
            found = self._by_higher_derivatives(point, shape.eigenvalues)
            if found is not None:
                return found
        return self._by_sampling(numeric, shape.eigenvalues, "the second-derivative test cannot decide")

    def _by_higher_derivatives(self, point: dict, eigenvalues) -> Classification | None:
        x = self.variables[0]
        derivative = calculus.derivative(self.function.expr, [x, x])
        highest = calculus.MAX_ORDER if self.function.expr.is_polynomial(x) else HIGHEST_DERIVATIVE_TEST
        for order in range(3, highest + 1):
            derivative = calculus.derivative(derivative, [x])
            try:
                value = evaluate(derivative, point)
            except UndefinedValueError:
                return None
            if value.exact == 0:
                continue
            name = "f" + "⁽" + str(order).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) + "⁾"
            said = f"{name} = {to_text(value.exact)} is the first non-zero derivative"
            if order % 2:
                return Classification(
                    "inflection",
                    f"derivative {order}",
                    eigenvalues,
                    f"f'' = 0 and {said} (odd order): not a minimum or maximum",
                )
            kind = "minimum" if value.numeric > 0 else "maximum"
            return Classification(
                kind,
                f"derivative {order}",
                eigenvalues,
                f"f'' = 0; {said} (even order, {'> 0' if value.numeric > 0 else '< 0'})",
            )
        return None

    def _by_sampling(self, centre: tuple[float, ...], eigenvalues, why: str) -> Classification:
        """Compare f with f(centre) on spheres of radius 0.001 to 0.1 (axes and random directions)."""
        import numpy

        n = len(centre)
        rng = numpy.random.default_rng(0)
        directions = [row for row in numpy.eye(n)] + [-row for row in numpy.eye(n)]
        directions += list(rng.normal(size=(64, n)))
        directions = [d / numpy.linalg.norm(d) for d in directions]
        try:
            base = float(self._f(centre))
        except (ValueError, ZeroDivisionError, OverflowError):
            return Classification("degenerate", "none", eigenvalues, why)
        tolerance = 1e-11 * max(1.0, abs(base))
        rises = falls = False
        for radius in SAMPLING_RADII:
            for d in directions:
                try:
                    change = float(self._f(tuple(numpy.array(centre) + radius * d))) - base
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    continue
                rises |= change > tolerance
                falls |= change < -tolerance
        if rises and falls and n == 1:  # one variable: rising on one side, falling on the other
            kind = "neither" if "not differentiable" in why else "inflection"
            said = f"f rises on one side and falls on the other; {why}"
            return Classification(kind, "sampling", eigenvalues, said)
        if rises and falls:
            return Classification(
                "saddle",
                "sampling",
                eigenvalues,
                f"f rises in some directions and falls in others within 0.1; {why}",
            )
        if rises or falls:
            kind = "minimum" if rises else "maximum"
            return Classification(
                kind,
                "sampling",
                eigenvalues,
                f"f is {'not lower' if rises else 'not higher'} anywhere within 0.1; {why}",
            )
        return Classification(
            "degenerate", "none", eigenvalues, f"{why}, and f does not change measurably nearby"
        )

    def search(self, skip=lambda end: False) -> list[CriticalPoint]:
        """Critical points from Newton's method (least-squares steps) started at many places.

        ``skip(end)`` drops points already known before the costlier recognition and tests.
        """
        import numpy

        n = len(self.variables)
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
            if not any(_close(end, k) for k in found) and not skip(end):
                found.append(end)
        found = self._without_continua(found)
        points = []
        for end in found:
            point = self._recognise(end)
            exact = point is not None
            if point is None:
                point = {v: _float(c) for v, c in zip(self.variables, end)}
            member = self.point(point, exact)
            if member is not None:
                points.append(member)
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
        import sympy

        groups: dict = {}
        for end in ends:
            piece = None
            if self._piecewise:
                try:
                    point = {v: sympy.Float(c, 30) for v, c in zip(self.variables, end)}
                    piece = branches(self.function.expr, point)  # the smooth piece of f there
                except (TypeError, ValueError):
                    pass
            groups.setdefault(piece, []).append(end)
        kept = []
        for members in groups.values():
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

    def _slope(self, point) -> float:
        try:
            return math.hypot(*self._g(point))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return math.inf

    def _flat_between(self, a, b) -> bool:
        for t in (0.25, 0.5, 0.75):
            between = tuple(p + t * (q - p) for p, q in zip(a, b))
            try:
                if math.hypot(*self._g(between)) > 1e-9:
                    return False
            except (ValueError, TypeError, ZeroDivisionError, OverflowError):
                return False
        return True

    def _newton(self, start):
        import numpy

        x = numpy.array(start, dtype=float)
        with numpy.errstate(all="ignore"):
            for _ in range(100):
                try:
                    g = numpy.array(self._g(tuple(x)), dtype=float)
                    h = numpy.array(self._h(tuple(x)), dtype=float).reshape(len(x), len(x))
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    return None
                if not (numpy.all(numpy.isfinite(g)) and numpy.all(numpy.isfinite(h))):
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
                g = numpy.array(self._g(tuple(x)), dtype=float)
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return None
        if not numpy.all(numpy.isfinite(g)) or numpy.linalg.norm(g) > 1e-9:
            return None
        return tuple(float(v) for v in x)

    def _recognise(self, end: tuple[float, ...]) -> dict | None:
        """The exact point behind floats like 0.666666666667 or 1.5707963268, if ∇f is exactly 0."""
        import sympy

        try:
            guess = {
                v: sympy.nsimplify(c, [sympy.pi], tolerance=1e-9) if abs(c) > 1e-12 else sympy.S.Zero
                for v, c in zip(self.variables, end)
            }
            if any(sympy.count_ops(value) > 12 for value in guess.values()):
                return None
            if all(evaluate(g, guess).exact == 0 for g in self.gradient):
                return guess
        except (UndefinedValueError, ValueError, TypeError):
            return None
        return None


def _float(value: float):
    import sympy

    return sympy.Float(value, 15)
