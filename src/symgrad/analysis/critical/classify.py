"""What kind of critical point: minimum, maximum, saddle, inflection, neither or degenerate.

The Hessian's eigenvalues decide when they can; when that test cannot, higher derivatives do (one
variable, exact points), else sampling f on small spheres around the point. Where ∇f is zero only by
SymPy's conventions (a kink of abs, a jump of floor), sampling decides and the kink is named.

>>> import sympy
>>> from symgrad.analysis.critical.compiled import derivatives
>>> x = sympy.Symbol("x", real=True)
>>> Classifier(derivatives(x**4, [x])).point({x: sympy.Integer(0)}, exact=True).classification.kind
'minimum'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy
import sympy

from symgrad import calculus
from symgrad.analysis.critical.compiled import Derivatives
from symgrad.analysis.hessian import curvature
from symgrad.calculus.kinks import derivatives_at
from symgrad.calculus.values import evaluate
from symgrad.errors import NotDifferentiableError, UndefinedValueError
from symgrad.expression.printing import to_text

# The higher-derivative test goes this far; for a polynomial, whose derivatives stay small, as far as
# symgrad differentiates at all (x**20 is a minimum by its 20th derivative).
HIGHEST_DERIVATIVE_TEST = 12
SAMPLING_RADII = (1e-3, 1e-2, 1e-1)
# |∂f/∂x| at most this counts as zero at a point found numerically.
ZERO_SLOPE = 1e-8

_BY_DEFINITENESS = {"positive definite": "minimum", "negative definite": "maximum", "indefinite": "saddle"}
_FAILURES = (UndefinedValueError, ValueError, ZeroDivisionError, OverflowError)


@dataclass(frozen=True)
class Classification:
    kind: str  # minimum, maximum, saddle, inflection, neither, degenerate
    test: str  # "second derivative", "derivative 4", "sampling", "none"
    eigenvalues: tuple[float, ...]  # of the Hessian at the point (empty when it is undefined)
    note: str = ""


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient is zero, with f there and what kind of point it is."""

    point: dict  # sympy.Symbol -> exact value, or sympy.Float when found numerically
    numeric: tuple[float, ...]
    value: object  # f at the point (sympy.Expr)
    value_numeric: float | None
    exact: bool
    classification: Classification


class Classifier:
    """Checks and classifies the critical points of one function."""

    def __init__(self, derivatives: Derivatives):
        self.derivatives = derivatives

    def point(self, point: dict, exact: bool, *, zero_slope: float = ZERO_SLOPE) -> CriticalPoint | None:
        """A solution as a classified CriticalPoint; None where f is undefined or ∇f is not zero.

        ``zero_slope`` is the largest |∂f/∂x| taken as zero at a point found numerically.
        """
        d = self.derivatives
        kink = None
        try:
            value = evaluate(d.expr, point)
            numeric = tuple(evaluate(v, {}).numeric for v in point.values())
            if exact:
                paths = [[v] for v in d.variables]
                slopes = [s.numeric for s in derivatives_at(d.expr, paths, point, d.gradient)]
            else:
                slopes = list(d.g(numeric))
        except NotDifferentiableError as error:
            # SymPy's conventions (sign(0) = 0, floor' = 0) made ∇f zero at a kink or a jump.
            kink, slopes = str(error), [0.0]
            numeric = tuple(evaluate(v, {}).numeric for v in point.values())
        except _FAILURES:
            return None
        limit = 1e-8 if exact else zero_slope
        if any(s is None or abs(s) > limit for s in slopes) or None in numeric:
            return None
        if kink is None:
            kind = self.classify(point, numeric, exact)
        else:
            kind = self.by_sampling(numeric, (), kink)
        return CriticalPoint(point, numeric, value.exact, value.numeric, exact, kind)

    def solution(self, point: dict) -> CriticalPoint | None:
        """A point that SymPy solved ∇f = 0 for: exact unless its coordinates hold floats (0.5*x)."""
        return self.point(point, exact=not any(v.atoms(sympy.Float) for v in point.values()))

    def classify(self, point: dict, numeric: tuple[float, ...], exact: bool) -> Classification:
        """The kind of the critical point ``point`` (``numeric``: its floats)."""
        d = self.derivatives
        try:
            if exact:
                matrix = [[evaluate(entry, point).numeric for entry in row] for row in d.hessian]
            else:
                matrix = [list(row) for row in d.h(numeric)]
            if any(v is None or not math.isfinite(v) for row in matrix for v in row):
                raise ValueError
        except _FAILURES:
            return self.by_sampling(numeric, (), "the Hessian is undefined here")
        shape = curvature(matrix)
        if shape.definiteness in _BY_DEFINITENESS:
            return Classification(
                _BY_DEFINITENESS[shape.definiteness], "second derivative", shape.eigenvalues
            )
        if len(d.variables) == 1 and exact:
            found = self._by_higher_derivatives(point, shape.eigenvalues)
            if found is not None:
                return found
        return self.by_sampling(numeric, shape.eigenvalues, "the second-derivative test cannot decide")

    def _by_higher_derivatives(self, point: dict, eigenvalues) -> Classification | None:
        """The first derivative beyond f″ that is not zero: odd order an inflection, even an extremum."""
        expr, (x,) = self.derivatives.expr, self.derivatives.variables
        derivative = calculus.derivative(expr, [x, x])
        highest = calculus.MAX_ORDER if expr.is_polynomial(x) else HIGHEST_DERIVATIVE_TEST
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
            test = f"derivative {order}"
            if order % 2:
                note = f"f'' = 0 and {said} (odd order): not a minimum or maximum"
                return Classification("inflection", test, eigenvalues, note)
            kind = "minimum" if value.numeric > 0 else "maximum"
            note = f"f'' = 0; {said} (even order, {'> 0' if value.numeric > 0 else '< 0'})"
            return Classification(kind, test, eigenvalues, note)
        return None

    def by_sampling(self, centre: tuple[float, ...], eigenvalues, why: str) -> Classification:
        """Compare f with f(centre) on spheres of radius 0.001 to 0.1 (axes and random directions)."""
        f = self.derivatives.f
        try:
            base = float(f(centre))
        except (ValueError, ZeroDivisionError, OverflowError):
            return Classification("degenerate", "none", eigenvalues, why)
        tolerance = 1e-11 * max(1.0, abs(base))
        rises = falls = False
        directions = _directions(len(centre))
        for radius in SAMPLING_RADII:
            for direction in directions:
                try:
                    change = float(f(tuple(numpy.array(centre) + radius * direction))) - base
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    continue
                rises |= change > tolerance
                falls |= change < -tolerance
        return _sampled(rises, falls, len(centre), eigenvalues, why)


def _directions(n: int) -> list:
    """Unit vectors: along every axis both ways, and 64 random ones (the same on every run)."""
    rng = numpy.random.default_rng(0)
    directions = [row for row in numpy.eye(n)] + [-row for row in numpy.eye(n)]
    directions += list(rng.normal(size=(64, n)))
    return [d / numpy.linalg.norm(d) for d in directions]


def _sampled(rises: bool, falls: bool, n: int, eigenvalues, why: str) -> Classification:
    """The kind that f rising and/or falling near the point shows."""
    if rises and falls and n == 1:  # one variable: rising on one side, falling on the other
        kind = "neither" if "not differentiable" in why else "inflection"
        return Classification(
            kind, "sampling", eigenvalues, f"f rises on one side and falls on the other; {why}"
        )
    if rises and falls:
        note = f"f rises in some directions and falls in others within 0.1; {why}"
        return Classification("saddle", "sampling", eigenvalues, note)
    if rises or falls:
        kind = "minimum" if rises else "maximum"
        note = f"f is {'not lower' if rises else 'not higher'} anywhere within 0.1; {why}"
        return Classification(kind, "sampling", eigenvalues, note)
    note = f"{why}, and f does not change measurably nearby"
    return Classification("degenerate", "none", eigenvalues, note)
