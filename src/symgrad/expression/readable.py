"""Expressions as a teacher writes them: ``9x² − 10x``, ``2·0.4 − 4``.

``readable`` is for people (it does not read back: JSON keeps SymPy syntax); ``template`` gives the same
text with each variable replaced by a slot, so numbers can be put in many times without SymPy:

>>> import sympy
>>> from symgrad.expression.floats import fill
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

from sympy import Float, Integer, Rational, Symbol
from sympy.core.function import AppliedUndef
from sympy.printing.precedence import PRECEDENCE

from symgrad.expression.floats import number
from symgrad.expression.printing import superscript, text_printer

# A number directly before a one-letter name is a product written without a sign: 2x, 0.5y, 3x1.
# So is one before a root: 2√2. A longer name keeps the sign (10·time): 10time reads as one name.
_JUXTAPOSED = re.compile(
    r"(?<![\w.{}√])(\d+(?:\.\d+)?)\*(?=√|[^\W\d]\d*[⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ]*(?![\w(]))"
)
# A minus sign, except the one inside a number's exponent (1e-5).
_MINUS = re.compile(r"(?<!\de)-")
# Exponents that read well raised: eˣ, e⁻ˣ, e²ᵗ; anything else stays exp(…).
_RAISED = str.maketrans(
    "abcdefghijklmnoprstuvwxyz0123456789−-+()",
    "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁺⁽⁾",
)
_RAISABLE = frozenset("abcdefghijklmnoprstuvwxyz0123456789−-")
# Primes for the derivatives of functions left undefined: f′, f″, f‴.
_PRIMES = {1: "′", 2: "″", 3: "‴"}


class _Printer(text_printer()):
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

    def _print_exp(self, power):
        # Printed once: printing it again for the exp(…) form doubled the cost at every nested exp.
        inner = self._print(power.args[0])
        exponent = _MINUS.sub("−", inner)
        if not self.slots and len(exponent) <= 4 and set(exponent) <= _RAISABLE:
            return "e" + exponent.translate(_RAISED)
        return f"exp({inner})"

    def _print_sigmoid(self, call):
        return f"σ({self._print(call.args[0])})"

    def _print_Pi(self, pi):
        return "π"

    def _print_Exp1(self, e):
        return "e"

    def _print_Float(self, value):
        return number(float(value), 12)

    def _print_Derivative(self, derivative):
        """f′(g(x)) for the derivative of a function left undefined, by its own argument."""
        inner, order = derivative.expr, derivative.derivative_count
        by_argument = len(inner.args) == 1 and derivative.variables[0] == inner.args[0]
        if isinstance(inner, AppliedUndef) and by_argument:
            marks = _PRIMES.get(order, f"⁽{superscript(order) if order > 1 else ''}⁾")
            return f"{inner.func.__name__}{marks}({self._print(inner.args[0])})"
        return super()._print_Derivative(derivative)

    def _print_Mul(self, product):
        text = super()._print_Mul(product)
        if not self.slots:
            text = _JUXTAPOSED.sub(r"\1", text)
        return text.replace("*", "·")


def readable(expr, decimals: bool = False) -> str:
    """``expr`` as people write it: superscript powers, 2x, x·y, √x and the minus sign −.

    With ``decimals`` exact fractions are written as decimals: −T/50 as −0.02T.
    """
    if decimals:
        expr = expr.xreplace({r: Float(r, 15) for r in expr.atoms(Rational) if not r.is_Integer})
    return _MINUS.sub("−", _Printer().doprint(expr))


def template(expr, variables: Sequence[Symbol]) -> str:
    """``readable(expr)`` with ``{i}`` where variable i stands, for ``fill``; every product shows ·."""
    slots = {symbol: i for i, symbol in enumerate(variables)}
    text = _Printer(slots).doprint(expr)
    # Braces from the expression itself would be read as slots: keep them literal.
    text = re.sub(r"\{(?!\d+\})", "{{", text)
    text = re.sub(r"(?<!\{\d)(?<!\{\d\d)\}", "}}", text)
    return _MINUS.sub("−", text)
