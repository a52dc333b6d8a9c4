"""Generated expressions: derivatives and gradients agree with central finite differences.

The finite differences are computed in 50-digit arithmetic (mpmath) with h = 1e-20, so their own
error (about h² times the third derivative) is far below the tolerance.
"""

import mpmath
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symgrad import calculus
from symgrad.expression.parse import parse_expression
from symgrad.expression.printing import to_text
from symgrad.expression.reading import read_expression

UNARY = [
    "sin({})",
    "cos({})",
    "tanh({})",
    "exp({}/3)",
    "sigmoid({})",
    "log(1+({})^2)",
    "sqrt(2+({})^2)",
    "atan({})",
    "({})^2",
    "({})^3",
    "1/(1+({})^2)",
    "softplus({})",
]
BINARY = ["({})+({})", "({})-({})", "({})*({})", "2({})-3({})"]


def expressions(variables):
    leaves = st.sampled_from(list(variables) + ["1", "2", "3", "0.5", "pi"])

    def extend(children):
        unary = st.builds(lambda f, a: f.format(a), st.sampled_from(UNARY), children)
        binary = st.builds(lambda f, a, b: f.format(a, b), st.sampled_from(BINARY), children, children)
        return unary | binary

    return st.recursive(leaves, extend, max_leaves=6)


def central_difference(expr, symbols, point, index):
    mpmath.mp.dps = 50
    f = sympy.lambdify(symbols, expr, modules="mpmath")
    h = mpmath.mpf("1e-20")
    plus = [mpmath.mpf(v) for v in point]
    minus = list(plus)
    plus[index] += h
    minus[index] -= h
    return (f(*plus) - f(*minus)) / (2 * h)


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


@settings(max_examples=60, deadline=None)
@given(expressions(["x"]), st.floats(-2, 2))
def test_derivative_matches_finite_differences(text, at):
    function = read_expression(text, "x")
    derivative = calculus.derivative(function.expr, function.variables)
    exact = float(derivative.evalf(30, subs={function.variables[0]: sympy.Float(at, 30)}))
    reference = float(central_difference(function.expr, function.variables, [at], 0))
    assert close(exact, reference), (text, derivative)
    # The printed derivative reads back to the same expression (SymPy may regroup a sign: -(1 - t)*s
    # reads back as (t - 1)*s, so the two are compared expanded).
    assert sympy.expand(parse_expression(to_text(derivative)) - derivative) == 0


@settings(max_examples=40, deadline=None)
@given(expressions(["x", "y"]), st.floats(-2, 2), st.floats(-2, 2))
def test_gradient_matches_finite_differences(text, a, b):
    function = read_expression(text, "x,y")
    gradient = calculus.gradient(function.expr, function.variables)
    point = dict(zip(function.variables, (sympy.Float(a, 30), sympy.Float(b, 30))))
    for index, component in enumerate(gradient):
        exact = float(component.evalf(30, subs=point))
        reference = float(central_difference(function.expr, function.variables, [a, b], index))
        assert close(exact, reference), (text, index, component)


@settings(max_examples=40, deadline=None)
@given(expressions(["x", "y"]), st.floats(-2, 2), st.floats(-2, 2))
def test_compiled_gradient_matches_symbolic(text, a, b):
    function = read_expression(text, "x,y")
    value_and_gradient = calculus.compile_value_and_gradient(function.expr, function.variables)
    value, gradient = value_and_gradient((a, b))
    point = dict(zip(function.variables, (a, b)))
    assert close(value, float(function.expr.evalf(30, subs=point)))
    for got, component in zip(gradient, calculus.gradient(function.expr, function.variables)):
        assert close(got, float(component.evalf(30, subs=point)))
