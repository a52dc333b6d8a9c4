"""SymEngine's results back into SymPy, in one pass, with the caller's own symbols.

``sympy.sympify`` builds every node of a SymEngine expression with SymPy's evaluating constructors, in
recursion, and with plain symbols that then have to be swapped for the caller's (``xreplace``, which
evaluates every node a second time). ``ToSympy`` walks the tree once, bottom-up on a stack of its own,
converts a subtree shared by several nodes (or several derivatives) once, and puts the caller's
symbols, with their assumptions, straight in.

It builds a node without SymPy's evaluation only where evaluation would give back the same node; the
rules are in the docstrings below, read from SymPy's ``Add.flatten``, ``Mul.flatten``,
``Pow.__new__`` and the functions' ``eval`` (SymPy's defaults assumed: ``evaluate``, ``distribute``,
not ``exp_is_pow``). They lean on SymPy's invariant that an evaluated node rebuilt from its own args
is itself (``e.func(*e.args) == e``). Any other node is built by the evaluating constructor; a kind
of node not listed here, and a fractional power of a product or of a power (see ``_power``), go
through ``sympy.sympify``. The result is the expression ``sympy.sympify(result).xreplace(symbols)``
gave, down to ``srepr``; the tests compare both on thousands of generated expressions.

>>> import sympy, symengine
>>> x = sympy.Symbol("x", real=True)
>>> to_sympy = ToSympy([x])
>>> derivative = to_sympy(symengine.sympify(sympy.sin(3 * x) ** 2).diff(symengine.Symbol("x")))
>>> derivative, derivative.free_symbols == {x}
(6*sin(3*x)*cos(3*x), True)
"""

from __future__ import annotations

from collections.abc import Iterable

import symengine
import sympy
from sympy.core.add import _addsort
from sympy.core.mul import _mulsort

from symgrad.expression.functions import settled

_se_x = symengine.Symbol("x")
_FUNCTIONS = {
    type(symengine.sin(_se_x)): sympy.sin,
    type(symengine.cos(_se_x)): sympy.cos,
    type(symengine.tan(_se_x)): sympy.tan,
    type(symengine.sinh(_se_x)): sympy.sinh,
    type(symengine.cosh(_se_x)): sympy.cosh,
    type(symengine.tanh(_se_x)): sympy.tanh,
    type(symengine.log(_se_x)): sympy.log,
}
_CONSTANTS = {type(symengine.pi): sympy.pi, type(symengine.E): sympy.E}
_INTEGERS = {type(symengine.Integer(n)) for n in (-1, 0, 1, 2)}  # NegativeOne, Zero, One, Integer
_RATIONALS = {type(symengine.Rational(1, 2)), type(symengine.Rational(1, 3))}  # Half, Rational
_ADD, _MUL, _POW = type(_se_x + 1), type(2 * _se_x), type(_se_x**2)
_ZERO, _ONE = sympy.S.Zero, sympy.S.One  # SymPy's only 0 and 1

# Kinds of SymPy node that Add's and Mul's evaluation leaves alone, beyond their numeric factor.
_TERMS = {sympy.Symbol, sympy.Mul, sympy.Pow, sympy.exp, *_FUNCTIONS.values(), type(sympy.pi), type(sympy.E)}
_FACTORS = (_TERMS - {sympy.Mul}) | {sympy.Add}
# Bases whose power Pow leaves alone: none of these classes has an _eval_power.
_BASES = {sympy.Symbol, *_FUNCTIONS.values()}
# The symbol assumptions under which the functions' eval was read: none, or real=True (symgrad's own).
_PLAIN_ASSUMPTIONS = (sympy.Symbol("x").assumptions0, sympy.Symbol("x", real=True).assumptions0)


class ToSympy:
    """Converts SymEngine expressions to SymPy, mapping each symbol to the caller's symbol of that name.

    One converter remembers what it converted: give it every derivative of one expression.
    """

    def __init__(self, symbols: Iterable):
        symbols = list(symbols)
        self._back = {sympy.Symbol(s.name): s for s in symbols}
        self._done = {symengine.Symbol(s.name): s for s in symbols}
        # The unevaluated forms below assume commutative symbols (SymPy's default).
        self._fast = all(s.is_commutative for s in symbols)
        self._plain = {s for s in symbols if s.assumptions0 in _PLAIN_ASSUMPTIONS}
        self._applied: set[int] = set()  # ids of the function applications _settled let through

    def __call__(self, expr):
        try:
            return self._convert(expr)
        except _Rewritten:
            return self._old_way(expr)

    def _convert(self, expr):
        done = self._done
        stack = [(expr, None)]
        while stack:
            node, args = stack.pop()
            if node in done:
                continue
            if args is None and _known(node):
                args = node.args
                waiting = [a for a in args if a not in done]
                if waiting:
                    stack.append((node, args))
                    stack.extend((a, None) for a in waiting)
                    continue
            done[node] = self._build(node, [done[a] for a in args] if args is not None else None)
        return done[expr]

    def _build(self, node, args):
        kind = type(node)
        if args is None:  # a kind this converter does not know
            return self._old_way(node)
        if kind is _ADD:
            ordered = _sum_in_order(args) if self._fast else None
            return sympy.Add(*args) if ordered is None else _raw(sympy.Add, ordered)
        if kind is _MUL:
            ordered = _product_in_order(args) if self._fast else None
            return sympy.Mul(*args) if ordered is None else _raw(sympy.Mul, ordered)
        if kind is _POW:
            return self._power(node, *args)
        if kind in _FUNCTIONS:
            function = _FUNCTIONS[kind]
            (arg,) = args
            if self._settled(function, arg):
                return self._applied_as_is(function, arg)
            return function(arg)
        if kind in _INTEGERS:
            return sympy.Integer(int(node))
        if kind in _RATIONALS:
            return sympy.Rational(int(node.p), int(node.q))
        return _CONSTANTS[kind]

    def _power(self, node, base, exp):
        if base is sympy.E:  # SymEngine writes exp(a) as E**a
            if self._settled(sympy.exp, exp):
                return self._applied_as_is(sympy.exp, exp)
            return sympy.Pow(sympy.E, exp)
        if (base.is_Mul or base.is_Pow) and not exp.is_Integer:
            # SymPy rewrites (a*b)**e and (a**b)**e by the signs it knows, and it knows more of real
            # symbols than of plain ones: (y*x**2)**(3/2) is split only with real ones. The old
            # conversion evaluated such a power twice, first with plain symbols, and the products
            # around a rewritten one can come out nested or merged otherwise than in one pass. So
            # this power is converted the old way, and if it was rewritten, the whole expression.
            power = self._old_way(node)
            if not (power.is_Pow and power.base == base and power.exp == exp):
                raise _Rewritten
            return power
        if type(base) in _BASES and (exp.is_Symbol or exp.is_Rational and exp not in (0, 1)):
            return sympy.Pow(base, exp, evaluate=False)
        return sympy.Pow(base, exp)

    def _old_way(self, node):
        """SymPy's own conversion of the subtree, then the caller's symbols put in (recursive)."""
        return sympy.sympify(node).xreplace(self._back)

    def _settled(self, function, arg) -> bool:
        """Whether ``function(arg)`` evaluates to itself (see expression.functions.settled), or
        ``arg`` is one of these functions applied here to such an argument: not constant either, and
        no inverse function, but exp(log(a)) and log(exp(a)) are excluded. Nothing here asks SymPy,
        so deep chains build without its recursion (its assumption queries walk the whole tree).
        """
        if id(arg) in self._applied:
            inverse = {sympy.exp: sympy.log, sympy.log: sympy.exp}.get(function)
            return type(arg) is not inverse
        return settled(function, arg, self._plain.__contains__)

    def _applied_as_is(self, function, arg):
        applied = function(arg, evaluate=False)
        self._applied.add(id(applied))
        return applied


class _Rewritten(Exception):
    """A fractional power of a product or power that SymPy rewrites by what it knows of signs."""


def _known(node) -> bool:
    kind = type(node)
    return kind in _FUNCTIONS or kind in (_ADD, _MUL, _POW) or not node.args and _leaf(kind)


def _leaf(kind) -> bool:
    return kind in _INTEGERS or kind in _RATIONALS or kind in _CONSTANTS


def _raw(cls, args):
    """``cls(*args)`` as AssocOp builds it once flatten has returned ``args``: no evaluation."""
    return cls._exec_constructor_postprocessors(cls._from_args(args, True))


def _sum_in_order(terms):
    """The args ``Add(*terms)`` would have, if its evaluation only sorts them; else None.

    Add's flatten adds numbers, merges terms that differ only in a numeric factor, splices nested
    sums, evaluates numeric powers and absorbs infinities. None of that applies to at most one number,
    a nonzero rational, and terms of the kinds in _TERMS (no numeric base) whose non-numeric parts all
    differ. Then it re-forms each term from its numeric factor and the rest (the same term, by the
    invariant), sorts the terms and puts the number first.
    """
    number, rest, parts = None, [], set()
    for term in terms:
        if term.is_Number:
            if number is not None or not term.is_Rational or term is _ZERO:
                return None
            number = term
            continue
        if type(term) not in _TERMS or term.is_Pow and term.base.is_Number:
            return None
        if term.is_Mul:
            part = term.args[1:] if term.args[0].is_Number else term.args
        else:
            part = (term,)
        if part in parts:
            return None
        parts.add(part)
        rest.append(term)
    _addsort(rest)
    return rest if number is None else [number, *rest]


def _product_in_order(factors):
    """The args ``Mul(*factors)`` would have, if its evaluation only sorts them; else None.

    Mul's flatten multiplies numbers, splices nested products, merges powers of one base whose
    exponents differ only in a numeric factor, combines numeric bases, and spreads a lone number over
    a sum. None of that applies to at most one number, a rational other than 0 and 1, and factors of
    the kinds in _FACTORS (no numeric base) with distinct (base, exponent without its numeric factor)
    pairs, unless the only other factor is a sum. Then it rebuilds each power from its base and
    exponent (the same power, by the invariant), sorts the factors and puts the number first.
    """
    number, rest, powers = None, [], set()
    for factor in factors:
        if factor.is_Number:
            if number is not None or not factor.is_Rational or factor is _ZERO or factor is _ONE:
                return None
            number = factor
            continue
        if type(factor) not in _FACTORS or factor.is_Pow and factor.base.is_Number:
            return None
        base, exp = factor.as_base_exp()
        power = (base, exp.as_coeff_Mul()[1])
        if power in powers:
            return None
        powers.add(power)
        rest.append(factor)
    if number is not None and len(rest) == 1 and rest[0].is_Add:
        return None
    _mulsort(rest)
    return rest if number is None else [number, *rest]
