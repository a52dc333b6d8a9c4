"""The results behind ``symgrad critical``: where the gradient is zero, and what kind of point it is.

Exact solutions come from SymPy when it finds them in time; otherwise Newton's method from many
starts finds points numerically. Each point is classified by the Hessian's eigenvalues; when that
test cannot decide, by higher derivatives (one variable) or by sampling a small neighbourhood.

>>> result = critical_points("x**3 - 3*x + y**2")
>>> [(p.numeric, p.classification.kind) for p in result.points]
[((-1.0, 0.0), 'saddle'), ((1.0, 0.0), 'minimum')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from symgrad import calculus
from symgrad.analysis.critical.classify import Classification, Classifier, CriticalPoint
from symgrad.analysis.critical.compiled import Derivatives, derivatives
from symgrad.analysis.critical.exact import solve_gradient
from symgrad.analysis.critical.search import SEARCH_BOX, NewtonSearch, close
from symgrad.deadline import within
from symgrad.errors import InputError
from symgrad.expression.reading import Expression, read_expression

__all__ = ["Classification", "CriticalPoint", "CriticalResult", "Family", "critical_points"]


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


def critical_points(text: str, *, variables: str | None = None, let: Sequence[str] = ()) -> CriticalResult:
    """Solve ∇f = 0 over the reals for ``text`` and classify every solution."""
    function = read_expression(text, variables, let=let)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    return critical_points_of(function)


def critical_points_of(function: Expression, d: Derivatives | None = None) -> CriticalResult:
    """``critical_points`` of an expression already read; ``d``, its derivatives when they are at hand
    (``derivatives(function.expr, function.variables, gradient, hessian)``), are not worked out again."""
    if d is None:
        d = derivatives(function.expr, function.variables)
    classifier = Classifier(d)
    if all(component == 0 for component in d.gradient):
        return _zero_gradient(function, d, classifier)
    solved = None
    with within(3600.0) as allowed:
        if allowed:
            solved = solve_gradient(function.variables, d.gradient)
    points, families, complete = solved if solved is not None else ([], [], False)
    method, note = "exact", ""
    if solved is None:
        method = "numeric"
        note = "SymPy could not solve ∇f = 0 exactly (in the time allowed); "
    elif not complete:
        method = "exact + numeric"
        note = "SymPy may miss solutions of equations that are not polynomial; "
    exact = [classifier.solution(p) for p in points]
    exact = [p for p in exact if p is not None]
    found = [_family(classifier, solution, integer) for solution, integer in families]
    found = [f for f in found if f is not None]
    search = NewtonSearch(d)
    extra = _searched(search, classifier, exact, found)
    if extra and complete:
        complete, method = False, "exact + numeric"
        note = "SymPy's exact solution missed points that a numeric search found; "
    if not complete:
        exact += extra
        note += (
            f"a numeric search (Newton's method from {search.starts} starts within "
            f"[-{SEARCH_BOX:g}, {SEARCH_BOX:g}] in every variable) added the points marked numeric; "
            "there may be others"
        )
    if search.flat:
        complete = False
        note += ("; " if note else "") + "f is flat on whole regions, where every point is critical"
    exact.sort(key=lambda p: p.numeric)
    return CriticalResult(
        function, d.gradient, tuple(exact), tuple(found), complete, method, note, tuple(search.flat)
    )


def _zero_gradient(function: Expression, d: Derivatives, classifier: Classifier) -> CriticalResult:
    """∇f = 0 everywhere: f is constant, or flat between jumps."""
    if function.expr.has(sympy.floor, sympy.ceiling):
        # floor′ = 0 between the jumps: f is piecewise constant, not constant.
        note = "the gradient is zero wherever f has one: f is flat between its jumps (floor, ceiling)"
        middle = tuple(0.5 for _ in function.variables)
        return CriticalResult(function, d.gradient, (), (), False, "exact", note, (middle,))
    family = Family({}, function.variables, False, function.expr, classifier.point({}, exact=True))
    note = "the gradient is zero everywhere: f is constant, every point is critical"
    return CriticalResult(function, d.gradient, (), (family,), True, "exact", note)


def _searched(search: NewtonSearch, classifier: Classifier, known: list, families: list) -> list:
    """The critical points a numeric search finds beyond the ``known`` points and ``families``.

    The search runs even after an exact solve: SymPy's solve can silently drop real solutions of
    polynomial systems (x**5 + y**5 - 5*x*y + x**3*y**2 loses its minimum).
    """
    variables = classifier.derivatives.variables
    numeric = [p.numeric for p in known]
    found = search.run(
        skip=lambda end: (
            any(close(end, k) or search.same_point(end, k) for k in numeric)
            or any(_on_family(end, f, variables) for f in families)
        )
    )
    points = [classifier.point(point, exact) for point, exact in found]
    # A stall recognised as an exact point may be one SymPy gave already.
    return [p for p in points if p is not None and not any(close(p.numeric, k) for k in numeric)]


def _family(classifier: Classifier, solution: dict, integer: bool) -> Family | None:
    """A family of solutions with one member classified (the first of n = 0, 1, 2 that is defined)."""
    parameters = tuple(sorted(set().union(*(v.free_symbols for v in solution.values())), key=str))
    for choice in (0, 1, 2):
        example = {
            v: value.xreplace({p: sympy.Integer(choice) for p in parameters}) for v, value in solution.items()
        }
        member = classifier.point(example, exact=True)
        if member is not None:
            value = calculus.tidy(sympy.expand(classifier.derivatives.expr.xreplace(solution)))
            return Family(solution, parameters, integer, value, member)
    return None


def _on_family(numeric: Sequence[float], family: Family, variables: Sequence) -> bool:
    """Whether a point found numerically is a member of ``family`` (to within rounding)."""
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
    return close(numeric, member)
