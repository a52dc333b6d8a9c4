"""Limits of f along a line, as t → ±∞: exact and quick for polynomials, by SymPy for the rest.

On a line x = p + d·t a polynomial in x is a polynomial in t, and its limit is read off its degree and
the sign of its leading coefficient, in exact rational arithmetic. ``sympy.limit`` gets there too, but
through series expansions that took over a second on a 100-term least-squares loss; it is still asked
whenever f is not a polynomial with rational coefficients along the line (sin, exp, pi, a float).

>>> import sympy
>>> x, y, t = sympy.symbols("x y t", real=True)
>>> limit(x**2 - y**3, {x: 1 + t, y: 2 * t}, t, sympy.oo)
-oo
>>> limit(x**2 - y**2, {x: 1 + t, y: t}, t, -sympy.oo)
-oo
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import sympy

# Past this degree along the line, leave the limit to SymPy: expanding (x + 2y + 1)**64 along a ray
# took as long as sympy.limit (0.2 s), and (x + 2y + 1)**32 a seventh of it.
MAX_DEGREE = 32

# A polynomial in t: its coefficients from t⁰ up, exact, with no zero at the top (the zero polynomial: []).
Coefficients = list[Fraction]


def limit(expr, line: Mapping, t, end):
    """The limit of ``expr.xreplace(line)`` as ``t`` → ``end`` (``sympy.oo`` or ``-sympy.oo``)."""
    coefficients = along(expr, line, t)
    if coefficients is None:
        return sympy.limit(expr.xreplace(line), t, end)
    if len(coefficients) <= 1:  # a constant along the line: its value
        value = coefficients[0] if coefficients else Fraction(0)
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.oo if _sign_at(coefficients, end) > 0 else -sympy.oo


def falls_without_bound(expr, line: Mapping, t, end, sign: float = 1.0) -> bool:
    """Whether ``sign·expr`` tends to −∞ along ``line`` as ``t`` → ``end``; ``sign`` is 1 or −1.

    The sign stays exact: multiplied in as the float 1.0 or −1.0, it made every coefficient a float,
    and leading terms that cancel exactly along the line left a rounding error that decided the limit.
    """
    coefficients = along(expr, line, t)
    if coefficients is None:
        return sympy.limit((expr if sign > 0 else -expr).xreplace(line), t, end) == -sympy.oo
    return len(coefficients) > 1 and sign * _sign_at(coefficients, end) < 0


def along(expr, line: Mapping, t) -> Coefficients | None:
    """``expr`` on ``line`` (each variable's value there, a polynomial in ``t``) as a polynomial in ``t``;
    None when it is not one with rational coefficients, or its degree would pass MAX_DEGREE."""
    values = {}
    for variable, value in line.items():
        polynomial = _expand(sympy.sympify(value), {}, t, {})
        if polynomial is None:
            return None
        values[variable] = polynomial
    return _expand(expr, values, t, {})


def _sign_at(coefficients: Coefficients, end) -> int:
    """The sign of a non-constant polynomial as t → ``end``: its leading coefficient's, flipped at −∞
    when the degree is odd."""
    degree, leading = len(coefficients) - 1, coefficients[-1]
    sign = 1 if leading > 0 else -1
    return -sign if end == -sympy.oo and degree % 2 else sign


def _expand(expr, values: Mapping, t, seen: dict) -> Coefficients | None:
    """``expr`` with ``values`` put in for its symbols, as coefficients in ``t``; None when that is not
    a polynomial with rational coefficients of degree up to MAX_DEGREE. ``seen`` holds the subtrees
    done already (SymPy shares equal subtrees)."""
    if expr in seen:
        return seen[expr]
    result = None
    if expr.is_Rational:
        result = _trim([Fraction(int(expr.p), int(expr.q))])
    elif expr.is_Symbol:
        if expr in values:
            result = values[expr]
        elif expr == t:
            result = [Fraction(0), Fraction(1)]
    elif expr.is_Add or expr.is_Mul:
        combine, result = (_add, []) if expr.is_Add else (_multiply, [Fraction(1)])
        for term in expr.args:
            part = _expand(term, values, t, seen)
            if part is None:
                result = None
                break
            result = combine(result, part)
            if result is None:
                break
    elif expr.is_Pow and expr.exp.is_Integer and expr.exp >= 0:
        base = _expand(expr.base, values, t, seen)
        if base is not None:
            result = _power(base, int(expr.exp))
    seen[expr] = result
    return result


def _trim(coefficients: Coefficients) -> Coefficients:
    while coefficients and coefficients[-1] == 0:
        coefficients.pop()
    return coefficients


def _add(a: Coefficients, b: Coefficients) -> Coefficients:
    if len(a) < len(b):
        a, b = b, a
    total = list(a)
    for k, c in enumerate(b):
        total[k] += c
    return _trim(total)


def _multiply(a: Coefficients, b: Coefficients) -> Coefficients | None:
    if not a or not b:
        return []
    if len(a) + len(b) - 2 > MAX_DEGREE:
        return None
    product = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                product[i + j] += x * y
    return _trim(product)


def _power(base: Coefficients, exponent: int) -> Coefficients | None:
    if exponent == 0:
        return [Fraction(1)]
    if not base:
        return []
    if (len(base) - 1) * exponent > MAX_DEGREE:
        return None
    result: Coefficients | None = [Fraction(1)]
    square: Coefficients | None = base
    while exponent:
        if exponent & 1:
            result = _multiply(result, square)
        exponent >>= 1
        if exponent:
            square = _multiply(square, square)
    return result
