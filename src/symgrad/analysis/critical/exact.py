"""Exact real solutions of ∇f = 0 with SymPy: isolated points and families of them.

>>> import sympy
>>> x, y = sympy.symbols("x y", real=True)
>>> points, families, complete = solve_gradient([x, y], [2*x - 2, 2*y])
>>> points, families, complete
([{x: 1, y: 0}], [], True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from symgrad.deadline import within
from symgrad.expression.functions import real_cbrt, sigmoid

# More members of a periodic family than this in a plot's window are left to the grid search.
MAX_MEMBERS = 100


def solve_gradient(variables: Sequence, gradient: Sequence):
    """Exact real solutions: (points, families as (solution, integer parameters), complete)."""
    # SymPy's solvers know e^x, not σ(x): σ(u) = 1/(1 + e^(−u)) for them.
    gradient = [g.replace(lambda e: isinstance(e, sigmoid), lambda e: e.rewrite(sympy.exp)) for g in gradient]
    if len(variables) == 1:
        return _solve_one(gradient[0], variables[0])
    polynomial = all(g.is_polynomial(*variables) for g in gradient)
    try:
        solutions = sympy.solve(list(gradient), list(variables), dict=True)
    except (NotImplementedError, ValueError, TypeError, sympy.PolynomialError):
        return None
    points, families = [], []
    for solution in solutions:
        full = _real_solution(solution, gradient, variables)
        if full is None:
            continue
        free = set().union(*(value.free_symbols for value in full.values()))
        if free and any(value.has(sympy.I) for value in full.values()):
            # x = I*y for (x**2 + y**2)**2: its real members are where every imaginary part is 0.
            points += [member for member in _real_members(full, free) if member not in points]
            continue
        if free:
            families.append((full, False))
        else:
            points.append(full)
    return points, families, polynomial


def _solve_one(derivative, x):
    if derivative.is_polynomial(x):
        # real_roots gives CRootOf for cubics instead of radicals full of I that are real.
        try:
            roots = sympy.real_roots(sympy.Poly(derivative, x))
        except NotImplementedError:  # coefficients with π or √2 in them: solveset below knows those
            pass
        else:
            return [{x: value} for value in sorted(set(roots), key=float)], [], True
    try:
        solutions = sympy.solveset(derivative, x, sympy.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return None
    singular = _singular_points(derivative, x)
    if solutions is sympy.S.EmptySet:
        return singular, [], True
    if isinstance(solutions, sympy.FiniteSet):
        return [{x: value} for value in solutions] + singular, [], True
    parts = solutions.args if isinstance(solutions, sympy.Union) else (solutions,)
    if not all(isinstance(part, (sympy.FiniteSet, sympy.ImageSet)) for part in parts):
        return None  # a ConditionSet or an interval: leave it to the numeric search
    points, families = [], []
    for part in parts:
        if isinstance(part, sympy.FiniteSet):
            points += [{x: value} for value in part]
        elif part.base_sets[0] == sympy.S.Integers:
            n = sympy.Symbol("n", integer=True)  # SymPy's own parameter is a Dummy "_n"
            families.append(({x: part.lamda.expr.xreplace({part.lamda.variables[0]: n})}, True))
        else:
            return None
    return points, families, True


def _real_members(solution: dict, free: set) -> list[dict]:
    """The isolated real points of a family of complex solutions (x = I*y has only x = y = 0)."""
    try:
        choices = sympy.solve([sympy.im(value) for value in solution.values()], list(free), dict=True)
    except (NotImplementedError, ValueError, TypeError):
        return []
    members = []
    for choice in choices:
        member = {v: sympy.simplify(value.xreplace(choice)) for v, value in solution.items()}
        if all(not value.free_symbols and value.is_real for value in member.values()):
            members.append(member)
    return members


def _singular_points(derivative, x) -> list[dict]:
    """Where the formula of f′ has a zero denominator: candidates whose derivative is a limit
    (x*cbrt(x) at 0); the caller keeps those where that limit exists and is zero."""
    if not derivative.has(real_cbrt()):
        return []
    denominator = sympy.denom(sympy.together(derivative))
    denominator = denominator.replace(lambda e: isinstance(e, real_cbrt()), lambda e: e.args[0])  # same zeros
    try:
        zeros = sympy.solveset(denominator, x, sympy.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return []
    return [{x: value} for value in zeros] if isinstance(zeros, sympy.FiniteSet) else []


def _real_solution(solution: dict, gradient: Sequence, variables: Sequence) -> dict | None:
    """The solution with real coordinates; a cubic's root written with I becomes a CRootOf.

    SymPy solves cubics by Cardano's formula, whose real roots carry I; substituting the other
    coordinates into ∇f leaves a polynomial whose real roots are exact and print plainly.
    """
    full = {v: sympy.sympify(solution.get(v, v)) for v in variables}
    for v, value in full.items():
        if value.is_real is False:
            return None
        if value.free_symbols or not value.has(sympy.I):
            continue
        numeric = complex(value.evalf(50))
        if abs(numeric.imag) > 1e-20 * (1 + abs(numeric.real)):
            return None
        known = {u: w for u, w in full.items() if u != v and not w.has(sympy.I) and not w.free_symbols}
        full[v] = sympy.Float(numeric.real, 30)  # unless a polynomial below gives it exactly
        for component in gradient:
            rest = component.xreplace(known)
            if rest.free_symbols != {v} or not rest.is_polynomial(v):
                continue
            roots = sympy.real_roots(sympy.Poly(rest, v))
            best = min(roots, key=lambda root: abs(float(root) - numeric.real), default=None)
            if best is not None and abs(float(best) - numeric.real) < 1e-9 * (1 + abs(numeric.real)):
                full[v] = best
                break
    return full


def solve_within(
    variables: Sequence, gradient: Sequence, seconds: float, window: Sequence
) -> list[dict] | None:
    """The isolated exact solutions of ∇f = 0 that SymPy finds within ``seconds``; None when there
    are none to be had so (not solved in time, a family of solutions, a non-finite one): search then.

    With one variable, the members of a periodic family inside ``window`` (lo, hi) are solutions too.
    """
    if len(variables) > 1 and any(g.has(TrigonometricFunction) for g in gradient):
        return None  # solve gives one period of a periodic solution set in several variables
    solved = None
    with within(seconds) as allowed:
        if allowed:
            solved = solve_gradient(variables, gradient)
    if solved is None:
        return None
    points, families, _ = solved
    if families and (len(variables) > 1 or not all(integer for _, integer in families)):
        return None
    for solution, _ in families:
        members = _members(solution, *window)
        if members is None:
            return None
        points = points + members
    try:
        numeric = [[float(value) for value in point.values()] for point in points]
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(c) for coordinates in numeric for c in coordinates):
        return None
    return points


def _members(solution: dict, lo: float, hi: float) -> list[dict] | None:
    """The members of a one-variable family ``x = a + b*n`` (n an integer) within [lo, hi]; None
    when the family is not of that form or has too many members there to mark."""
    ((x, value),) = solution.items()
    (n,) = value.free_symbols
    if not (value.is_polynomial(n) and sympy.degree(value, n) == 1):
        return None
    start = float(value.xreplace({n: 0}))
    period = float(value.xreplace({n: 1})) - start
    first, last = sorted(((lo - start) / period, (hi - start) / period))
    if last - first > MAX_MEMBERS:
        return None
    members = [{x: value.xreplace({n: k})} for k in range(math.floor(first), math.ceil(last) + 1)]
    return [member for member in members if lo <= float(member[x]) <= hi]
