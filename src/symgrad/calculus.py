"""All symbolic calculus goes through this module: derivatives, gradients, Hessians, compilation.

Commands call only these functions, so another engine can be put behind them later.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> derivative(3*x**3 - 5*x**2 + 2, [x])
9*x**2 - 10*x
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from symgrad.errors import InputError, MathError, SymgradError

MAX_ORDER = 50
# Tidying tries a few cheap rewrites; above this size it is skipped (it is never a full simplify).
_TIDY_LIMIT = 80


def derivative(expr, wrt: Sequence):
    """Differentiate ``expr`` once for each symbol in ``wrt``, in that order, tidying as it goes."""
    if len(wrt) > MAX_ORDER:
        raise InputError(f"derivative order {len(wrt)} is above the limit of {MAX_ORDER}")
    result = expr
    for symbol in wrt:
        result = tidy(_piecewise_constant_to_zero(result.diff(symbol)))
    return result


def gradient(expr, variables: Sequence) -> tuple:
    """The partial derivatives of ``expr`` in the order of ``variables``."""
    return tuple(derivative(expr, [v]) for v in variables)


def hessian(expr, variables: Sequence) -> tuple[tuple, ...]:
    """The matrix of second partial derivatives (symmetric: each pair is computed once)."""
    first = gradient(expr, variables)
    n = len(variables)
    rows = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            rows[i][j] = rows[j][i] = derivative(first[i], [variables[j]])
    return tuple(tuple(row) for row in rows)


def tidy(expr):
    """A short equivalent form: the smallest of a few bounded rewrites, never ``simplify``."""
    import sympy

    if expr.is_polynomial() or sympy.count_ops(expr) > _TIDY_LIMIT:
        return expr
    best, best_ops = expr, sympy.count_ops(expr)
    for rewrite in (sympy.cancel, sympy.factor):
        try:
            candidate = rewrite(sympy.together(expr))
        except (sympy.PolynomialError, ValueError, TypeError, NotImplementedError):
            continue
        ops = sympy.count_ops(candidate)
        if ops < best_ops:
            best, best_ops = candidate, ops
    return best


def _piecewise_constant_to_zero(expr):
    """floor and ceiling are flat between integers; SymPy leaves their derivative unevaluated."""
    import sympy

    if not expr.has(sympy.Derivative):
        return expr
    expr = expr.replace(
        lambda e: isinstance(e, sympy.Derivative) and isinstance(e.expr, (sympy.floor, sympy.ceiling)),
        lambda e: sympy.Integer(0),
    )
    # floor(x**2) differentiates into 2*x*Subs(Derivative(floor(ξ), ξ), ξ, x**2): now Subs(0, ...).
    expr = expr.replace(lambda e: isinstance(e, sympy.Subs), lambda e: e.doit())
    if expr.has(sympy.Derivative):
        raise MathError(f"no closed form for the derivative: {expr}")
    return expr


def compile_function(exprs, variables: Sequence, backend: str = "math") -> Callable:
    """A fast float function of one tuple argument that returns ``exprs`` (nested tuples allowed).

    ``backend`` is ``"math"`` for scalar loops or ``"numpy"`` for whole grids.
    """
    import sympy

    try:
        modules = [_float_functions(backend), backend]
        return sympy.lambdify([tuple(variables)], exprs, modules=modules, cse=True)
    except SymgradError:  # the time limit expiring while lambdify works
        raise
    except Exception as error:  # lambdify raises many kinds for unsupported functions
        raise MathError(f"cannot compile the expression for fast evaluation: {error}") from None


def _float_functions(backend: str) -> dict[str, Callable]:
    """Float versions of what derivatives bring in that the math and numpy modules lack.

    DiracDelta is 0 away from its point and undefined (NaN) at it; polygamma comes from mpmath.
    """
    import math

    import mpmath

    def polygamma(order, x):
        try:
            return float(mpmath.polygamma(int(order), x))
        except (ValueError, ZeroDivisionError):  # the poles at 0, -1, -2, ...
            return math.nan

    def dirac_delta(x, order=0):
        return 0.0 if x != 0 else math.nan

    if backend == "math":
        return {"DiracDelta": dirac_delta, "polygamma": polygamma, "cbrt": math.cbrt}
    import numpy

    return {
        "cbrt": numpy.cbrt,
        "DiracDelta": numpy.vectorize(dirac_delta, otypes=[float]),
        "polygamma": numpy.vectorize(polygamma, otypes=[float]),
        "erf": numpy.vectorize(math.erf, otypes=[float]),
        "gamma": numpy.vectorize(_gamma_or_nan, otypes=[float]),
    }


def _gamma_or_nan(x: float) -> float:
    import math

    try:
        return math.gamma(x)
    except (ValueError, OverflowError):
        return math.nan


def compile_value_and_gradient(expr, variables: Sequence) -> Callable:
    """A float function ``point -> (f, (df/dv1, df/dv2, ...))`` with shared subexpressions."""
    return compile_function((expr, tuple(gradient(expr, variables))), variables)


# An integer with more digits than this is printed as 2e308 (m e k) when that is exact...
_LONG_NUMBER = 40
# ...and any number with more than this, to 20 significant digits.
_UNREADABLE_NUMBER = 1000


def to_text(expr) -> str:
    """SymPy syntax that symgrad parses back to the same expression (huge numbers shortened)."""
    from sympy.printing.str import StrPrinter

    def write(sign, mantissa, exponent, exact):
        # 2e308 rather than 2*10**308: one token, so no parentheses are ever needed, and symgrad
        # reads decimals exactly.
        return f"{sign}{mantissa}e{exponent:+d}" if not exact else f"{sign}{mantissa}e{exponent}"

    return _shortening(StrPrinter, write)().doprint(expr)


def to_latex(expr) -> str:
    from sympy.printing.latex import LatexPrinter

    def write(sign, mantissa, exponent, exact):
        power = f"10^{{{exponent}}}"
        return f"{sign}{power}" if mantissa == "1" else rf"{sign}{mantissa} \cdot {power}"

    return _shortening(LatexPrinter, write)().doprint(expr)


def _shortening(printer: type, write: Callable) -> type:
    """``printer`` with numbers too long to read written by ``write(sign, mantissa, exponent, exact)``.

    In LaTeX a shortened number is no longer an atom on the page (2 \\cdot 10^{41} is a product), so it
    is put in parentheses wherever a product would be; the text form 2e41 is one token.
    """
    import sympy
    from sympy.printing.precedence import PRECEDENCE

    class Printer(printer):
        def _print_Rational(self, number):
            short = _short_number(number)
            if short is not None:
                return write(*short)
            if number.q != 1:  # 1/1e50: a long numerator or denominator on its own
                top, bottom = (_short_number(sympy.Integer(n)) for n in (number.p, number.q))
                if top is not None or bottom is not None:
                    inverse = sympy.Pow(number.q, -1, evaluate=False)
                    if number.p == 1:
                        return self._print(inverse)
                    return self._print(sympy.Mul(number.p, inverse, evaluate=False))
            return super()._print_Rational(number)

        _print_Integer = _print_Rational

        def parenthesize(self, item, level, *args, **options):
            text = self._print(item) if isinstance(item, sympy.Rational) else ""
            if "10^{" not in text:  # not a number shortened for LaTeX
                return super().parenthesize(item, level, *args, **options)
            own = PRECEDENCE["Pow"] if text.lstrip("-").startswith("10") else PRECEDENCE["Mul"]
            return rf"\left({text}\right)" if own <= level else text

    return Printer


def _short_number(number) -> tuple[str, str, int, bool] | None:
    """A long number as (sign, mantissa, exponent, exact), or None to print it as it is.

    An integer of over 40 digits that is m·10^k with a short m is written so, exactly (2e308).
    A number with over 1000 digits above or below the fraction bar is rounded to 20 significant
    digits: it is unreadable in full, and Python refuses to print an int of over 4300 digits.
    Other numbers, such as a long decimal someone typed, are printed exactly.
    """
    import math

    import mpmath

    digits_in = max(abs(number.p), number.q).bit_length() * math.log10(2)
    if digits_in < _LONG_NUMBER:
        return None
    with mpmath.workprec(128):
        text = mpmath.nstr(mpmath.mpf(abs(number.p)) / number.q, 20, min_fixed=math.inf, max_fixed=-math.inf)
    mantissa, _, power = text.partition("e")  # d.ddd, and no exponent when it is 0
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    scale = int(power or 0) - len(digits) + 1
    sign = "-" if number.p < 0 else ""
    if number.q == 1 and scale > 0 and int(digits) * 10**scale == abs(number.p):
        return sign, digits, scale, True
    if digits_in < _UNREADABLE_NUMBER:
        return None
    return sign, digits[0] + ("." + digits[1:] if len(digits) > 1 else ""), int(power or 0), False
