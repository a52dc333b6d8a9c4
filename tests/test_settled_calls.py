"""The parser builds sin(2*x) and the like without SymPy's evaluation where it would give them back
unchanged: the result must be the very expression evaluation gives."""

import itertools

import pytest
import sympy

from symgrad.expression.functions import _SETTLED, build_call, settled
from symgrad.expression.parse import parse_expression

x = sympy.Symbol("x", real=True)
plain = sympy.Symbol("t")
positive = sympy.Symbol("p", positive=True)
_COEFFICIENTS = [1, 2, 7, -1, -3, sympy.Rational(1, 2), sympy.Rational(-5, 3), sympy.Rational(22, 7)]
_ARGUMENTS = [
    *(q * s for q, s in itertools.product(_COEFFICIENTS, (x, plain, positive))),
    x + 1, x * plain, x**2, sympy.pi * x, sympy.I * x, 2.5 * x, sympy.sqrt(2) * x, sympy.Integer(0),
    sympy.pi / 2, sympy.log(x), sympy.asinh(x), sympy.atanh(x), sympy.Dummy("d"), sympy.oo,
]  # fmt: skip


@pytest.mark.parametrize("function", sorted(_SETTLED, key=lambda f: f.__name__))
def test_settled_calls_are_what_evaluation_gives(function):
    accepted = 0
    for arg in _ARGUMENTS:
        if settled(function, arg):
            accepted += 1
            assert sympy.srepr(function(arg, evaluate=False)) == sympy.srepr(function(arg)), arg
    assert accepted >= 10  # symbols and their positive multiples at least


@pytest.mark.parametrize("arg", [x, 3 * x, x / 2])
def test_a_symbol_with_other_assumptions_is_evaluated(arg):
    assert not settled(sympy.sin, arg.subs(x, positive))
    assert build_call("sin", [-arg]) == -sympy.sin(arg)  # the sign comes out, as SymPy writes it


def test_long_sums_of_calls_parse_to_the_evaluated_expression():
    names = ["sin", "cos", "tan", "sinh", "cosh", "tanh", "exp"]
    terms = [f"{names[k % 7]}({k % 5 - 2}*x/{k % 3 + 1})" for k in range(1, 300)]
    built = parse_expression("+".join(terms))
    x_ = next(iter(built.free_symbols))
    evaluated = sympy.Add(
        *(getattr(sympy, names[k % 7])(sympy.Rational(k % 5 - 2, k % 3 + 1) * x_) for k in range(1, 300))
    )
    assert sympy.srepr(built) == sympy.srepr(evaluated)
