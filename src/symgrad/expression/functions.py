"""The functions and constants an expression may use, and how each becomes a SymPy object.

The table also holds the names SymPy prints for results (``Abs``, ``Max``, ``Heaviside``,
``polygamma``...), so every derivative symgrad prints can be read back by symgrad.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import sympy

from symgrad.errors import InputError


def _relu(x):
    return sympy.Max(0, x)


def _softplus(x):
    return sympy.log(1 + sympy.exp(x))


def _log(x, base=None):
    return sympy.log(x) if base is None else sympy.log(x, base)


class cbrt(sympy.Function):  # noqa: N801 - printed as cbrt(x), the name symgrad reads back
    """The real cube root as a SymPy function: cbrt(-8) = -2, d/dx cbrt(x) = 1/(3*cbrt(x)**2).

    SymPy's own cbrt(x) is x**(1/3), the principal root, which is complex for x < 0; its real
    version sign(x)*Abs(x)**(1/3) differentiates into DiracDelta terms. This class keeps cbrt whole.
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return sympy.Integer(0)
        if arg.is_number and arg.is_extended_negative:
            return -((-arg) ** sympy.Rational(1, 3))
        if arg.is_number and arg.is_extended_positive:
            return arg ** sympy.Rational(1, 3)
        return None

    def fdiff(self, argindex=1):
        return 1 / (3 * cbrt(self.args[0]) ** 2)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_power(self, exponent):
        if exponent.is_Integer and exponent % 3 == 0:
            return self.args[0] ** (exponent // 3)
        return None

    def _latex(self, printer, exp=None):
        root = rf"\sqrt[3]{{{printer._print(self.args[0])}}}"
        return root if exp is None else rf"\left({root}\right)^{{{exp}}}"


def real_cbrt() -> type:
    """The real cube root's SymPy class, ``cbrt`` (``isinstance(e, real_cbrt())``, ``real_cbrt()(x)``)."""
    return cbrt


# The highest order polygamma and DiracDelta take: far beyond any derivative symgrad is asked for, and
# low enough that their values stay cheap (polygamma(8000000, x) would need millions of terms).
MAX_ORDER = 1000


def _order(call: str, letter: str, order) -> int:
    """``order`` as a whole number 0 <= n <= MAX_ORDER, or an input error naming the function."""
    if not (order.is_Integer and order >= 0):
        raise InputError(f"{call} takes a whole number {letter} >= 0 as its order, got {order}")
    if order > MAX_ORDER:
        raise InputError(f"{call} takes an order {letter} up to {MAX_ORDER}, got {order}")
    return order


class sigmoid(sympy.Function):  # noqa: N801 - printed as sigmoid(x), the name symgrad reads back
    """The logistic function σ(x) = 1/(1 + e^(−x)) as a function of its own: σ′(x) = σ(x)(1 − σ(x)).

    Kept whole, like relu, so a derivative reads σ(x)·(1 − σ(x)) rather than e^(−x)/(1 + e^(−x))².
    At a number it becomes its exact value: sigmoid(0) = 1/2, sigmoid(2) = 1/(1 + e^(−2)).
    """

    @classmethod
    def class_key(cls):
        # Sorted with the symbols, before sums: σ(x)·(1 − σ(x)), x·σ(x), not (1 − σ(x))·σ(x).
        return 2, 0, cls.__name__

    @classmethod
    def eval(cls, arg):
        if arg.is_number:
            return 1 / (1 + sympy.exp(-arg))
        return None

    def fdiff(self, argindex=1):
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sympy.exp(-arg))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_positive(self):
        return True if self.args[0].is_extended_real else None

    def _latex(self, printer, exp=None):
        call = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return call if exp is None else rf"{call}^{{{exp}}}"


def _polygamma(order, x):
    """ψ⁽ⁿ⁾(x), which SymPy prints in derivatives of gamma; its derivative rule needs a whole n ≥ 0."""
    return sympy.polygamma(_order("polygamma(n, x)", "n", order), x)


def _dirac_delta(x, order=None):
    """δ(x) and its derivatives δ⁽ᵏ⁾(x) = DiracDelta(x, k), as SymPy prints them."""
    if order is None:
        return sympy.DiracDelta(x)
    return sympy.DiracDelta(x, _order("DiracDelta(x, k)", "k", order))


# name -> (fewest arguments, most arguments or None for any number, builder)
_TABLE: dict[str, tuple[int, int | None, object]] = {
    **{
        name: (1, 1, getattr(sympy, name))
        for name in (
            "sin cos tan sec csc cot asin acos atan asec acsc acot sinh cosh tanh "
            "asinh acosh atanh exp sqrt sign erf gamma floor ceiling"
        ).split()
    },
    "atan2": (2, 2, sympy.atan2),
    "cbrt": (1, 1, cbrt),
    "log": (1, 2, _log),
    "ln": (1, 1, _log),
    "log10": (1, 1, lambda x: sympy.log(x, 10)),
    "log2": (1, 1, lambda x: sympy.log(x, 2)),
    "abs": (1, 1, sympy.Abs),
    "Abs": (1, 1, sympy.Abs),
    "max": (2, None, sympy.Max),
    "min": (2, None, sympy.Min),
    "Max": (2, None, sympy.Max),
    "Min": (2, None, sympy.Min),
    "arcsin": (1, 1, sympy.asin),
    "arccos": (1, 1, sympy.acos),
    "arctan": (1, 1, sympy.atan),
    "ceil": (1, 1, sympy.ceiling),
    "sigmoid": (1, 1, sigmoid),
    "relu": (1, 1, _relu),
    "softplus": (1, 1, _softplus),
    # Names that appear in SymPy's printed derivatives.
    "Heaviside": (1, 1, sympy.Heaviside),
    "DiracDelta": (1, 2, _dirac_delta),
    "polygamma": (2, 2, _polygamma),
    "zeta": (1, 1, sympy.zeta),  # polygamma(1, 1) = zeta(2)...
}

FUNCTIONS = frozenset(_TABLE)

# Functions whose eval is known to give f(a) back as it is for the arguments settled() accepts.
_SETTLED = frozenset((sympy.sin, sympy.cos, sympy.tan, sympy.sinh, sympy.cosh, sympy.tanh, sympy.exp))
_PLAIN = (sympy.Symbol("x").assumptions0, sympy.Symbol("x", real=True).assumptions0)


def plain_symbol(arg) -> bool:
    """A symbol with no assumptions or real=True (the parser's): the ones settled() was read for."""
    return type(arg) is sympy.Symbol and arg.assumptions0 in _PLAIN


def settled(function, arg, plain: Callable = plain_symbol) -> bool:
    """Whether ``function(arg)`` evaluates to itself, for sin, cos, tan, sinh, cosh, tanh, exp and log:
    ``arg`` a plain symbol s, or q·s with q a rational, positive unless ``function`` is exp.

    Such an argument varies, so SymPy cannot know it to be zero or infinite, and it is no number; it
    has no minus sign to pull out, no imaginary factor, no multiple of π, no sum and no inverse
    function in it. Then those functions' eval all return None, and nothing is a float to evalf.
    ``plain`` tells a plain symbol (calculus/convert.py passes its own, quicker test).
    """
    if plain(arg):
        return True
    if type(arg) is not sympy.Mul or len(arg.args) != 2:
        return False
    q, s = arg.args
    return q.is_Rational and (q.p > 0 or function is sympy.exp) and plain(s)


# What help and error messages list: the names people type, not SymPy's printed aliases.
USER_FUNCTIONS = (
    "sin cos tan sec csc cot asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp log ln "
    "log10 log2 sqrt cbrt abs sign erf gamma max min floor ceiling sigmoid relu softplus"
).split()

CONSTANTS = {
    "pi": lambda: sympy.pi,
    "E": lambda: sympy.E,
    "e": lambda: sympy.E,
    # As SymPy prints it in values of gamma's derivatives: polygamma(0, 1) = -EulerGamma.
    "EulerGamma": lambda: sympy.EulerGamma,
}


def arity_error(name: str, count: int) -> str | None:
    """A message when ``name`` cannot take ``count`` arguments, else None."""
    fewest, most, _ = _TABLE[name]
    if count < fewest or (most is not None and count > most):
        if most is None:
            wanted = f"at least {fewest} arguments"
        elif fewest == most:
            wanted = f"{fewest} argument" + ("s" if fewest > 1 else "")
        else:
            wanted = f"{fewest} to {most} arguments"
        return f"{name}() takes {wanted}, got {count}"
    return None


# Misspellings too far from their function for difflib, but common.
_ALIASES = {"lg": "log10", "sqr": "sqrt", "arctg": "atan", "tg": "tan"}


def likely_function(name: str) -> str | None:
    """The known function ``name`` was probably meant to be (``sinn`` -> sin, ``Exp`` -> exp), if any."""
    if name in _ALIASES:
        return _ALIASES[name]
    if name.lower() in FUNCTIONS and name.lower() != name:
        return name.lower()
    if len(name) < 3:
        return None
    close = difflib.get_close_matches(name.lower(), USER_FUNCTIONS, n=1, cutoff=0.75)
    return close[0] if close else None


def build_call(name: str, args: list):
    """The SymPy object for ``name(*args)``."""
    builder = _TABLE[name][2]
    if builder in _SETTLED and len(args) == 1 and settled(builder, args[0]):
        # what evaluation would give back anyway, 30x sooner: a 1,000-term sum of sines is typed
        return builder(args[0], evaluate=False)
    try:
        return builder(*args)
    except ValueError:  # SymPy's Max and Min, given an argument they cannot compare
        if name.lower() not in ("max", "min"):
            raise
        if any(arg.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) for arg in args):
            # kept as written, so it is refused as 1/0 alone is: undefined as written
            return _TABLE[name][2](*args, evaluate=False)
        unreal = next((arg for arg in args if arg.is_number and arg.is_extended_real is not True), None)
        why = "its arguments cannot be compared" if unreal is None else f"{unreal} is not a real number"
        raise InputError(f"{name}() compares real numbers, and {why}") from None


def unknown_function(name: str) -> str:
    """The message for ``name(`` when ``name`` is not a function: the likely one, or how to multiply."""
    product = f"write {name}*(...) for a product"
    meant = likely_function(name)
    if meant:
        return f"unknown function '{name}': did you mean {meant}? (or {product})"
    if len(name) <= 2 or any(ch.isdigit() for ch in name):
        return f"unknown function '{name}': {product}"
    return f"unknown function '{name}': {product}, or use one of {', '.join(USER_FUNCTIONS)}"
