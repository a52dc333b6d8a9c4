"""Printing expressions: SymPy syntax that reads back, LaTeX, and superscripts for labels."""

from __future__ import annotations

import math
from collections.abc import Callable

import mpmath
import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

# An integer with more digits than this is printed as 2e308 (m e k) when that is exact...
_LONG_NUMBER = 40
# ...and any number with more than this, to 20 significant digits.
_UNREADABLE_NUMBER = 1000


def to_text(expr) -> str:
    """SymPy syntax that symgrad parses back to the same expression (huge numbers shortened)."""
    return text_printer()().doprint(expr)


def _write_text(sign, mantissa, exponent, exact):
    # 2e308 rather than 2*10**308: one token, so no parentheses are ever needed, and symgrad
    # reads decimals exactly.
    return f"{sign}{mantissa}e{exponent:+d}" if not exact else f"{sign}{mantissa}e{exponent}"


def text_printer() -> type:
    """SymPy's text printer with huge numbers shortened (2e308), to build other text printers on."""
    return _TEXT_PRINTER


def to_latex(expr) -> str:
    """LaTeX, huge numbers written m \\cdot 10^{k}."""
    return _LATEX_PRINTER().doprint(expr)


def _write_latex(sign, mantissa, exponent, exact):
    power = f"10^{{{exponent}}}"
    return f"{sign}{power}" if mantissa == "1" else rf"{sign}{mantissa} \cdot {power}"


def _shortening(printer: type, write: Callable) -> type:
    """``printer`` with numbers too long to read written by ``write(sign, mantissa, exponent, exact)``.

    In LaTeX a shortened number is no longer an atom on the page (2 \\cdot 10^{41} is a product), so it
    is put in parentheses wherever a product would be; the text form 2e41 is one token.
    """

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


# Built once, not per call.
_TEXT_PRINTER = _shortening(StrPrinter, _write_text)
_LATEX_PRINTER = _shortening(LatexPrinter, _write_latex)

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(n: int) -> str:
    return "" if n == 1 else str(n).translate(_SUPERSCRIPT)
