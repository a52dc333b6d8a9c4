"""Expressions as a teacher writes them: ``9x² − 10x``, ``2·0.4 − 4``.

``readable`` is for people (it does not read back: JSON keeps SymPy syntax); ``template`` gives the same
text with each variable replaced by a slot, so numbers can be put in many times without SymPy:

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> readable(9*x**2 - 10*x)
'9x² − 10x'
>>> fill(template(2*x - 4, [x]), [0.4])
'2·0.4 − 4'
>>> fill(template(x**2 + 3*x, [x]), [-1.5])
'(−1.5)² + 3·(−1.5)'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sympy import Integer, Rational, Symbol
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from symgrad.expression.floats import worked
from symgrad.expression.printing import superscript

# A number directly before a variable's name is a product written without a sign: 2x, 0.5y.
_JUXTAPOSED = re.compile(r"(?<![\w.{}])(\d+(?:\.\d+)?)\*(?=[^\W\d]\w*(?![\w(]))")
# A minus sign, except the one inside a number's exponent (1e-5).
_MINUS = re.compile(r"(?<!\de)-")


class _Printer(StrPrinter):
    """SymPy's text printer with superscript powers, · for products and slots for chosen symbols."""

    def __init__(self, slots: dict | None = None):
        super().__init__({"order": None})
        self.slots = slots or {}

    def _print_Symbol(self, symbol):
        return f"{{{self.slots[symbol]}}}" if symbol in self.slots else symbol.name

    def _print_Pow(self, power, rational=False):
        base, exponent = power.as_base_exp()
        lifted = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
        if isinstance(exponent, Integer) and exponent > 1:
            return lifted + superscript(int(exponent))
        if isinstance(exponent, Integer) and exponent < -1 and not rational:
            return lifted + "⁻" + superscript(-int(exponent))
        if exponent in (Rational(1, 2), Rational(-1, 2)):
            inner = self._print(base)
            root = "√" + (inner if base.is_Atom else f"({inner})")
            return root if exponent > 0 or rational else f"1/{root}"
        if exponent.is_negative or rational:  # 1/x, 1/√x: SymPy's own printing of quotients
            return super()._print_Pow(power, rational)
        return f"{lifted}^{self.parenthesize(exponent, PRECEDENCE['Pow'], strict=True)}"

    def _print_Mul(self, product):
        text = super()._print_Mul(product)
        if not self.slots:
            text = _JUXTAPOSED.sub(r"\1", text)
        return text.replace("*", "·")


def readable(expr) -> str:
    """``expr`` as people write it: superscript powers, 2x, x·y, √x and the minus sign −."""
    return _MINUS.sub("−", _Printer().doprint(expr))


def template(expr, variables: Sequence[Symbol]) -> str:
    """``readable(expr)`` with ``{i}`` where variable i stands, for ``fill``; every product shows ·."""
    slots = {symbol: i for i, symbol in enumerate(variables)}
    text = _Printer(slots).doprint(expr)
    # Braces from the expression itself would be read as slots: keep them literal.
    text = re.sub(r"\{(?!\d+\})", "{{", text)
    text = re.sub(r"(?<!\{\d)(?<!\{\d\d)\}", "}}", text)
    return _MINUS.sub("−", text)


def fill(text: str, values: Sequence[float]) -> str:
    """A ``template`` with numbers in its slots; negative numbers in parentheses."""
    return text.format(*(worked(v, wrap=True) for v in values))
