"""SymEngine against SymPy, the reference: the same derivatives on generated and README expressions."""

import sympy
from hypothesis import given, settings

from symgrad.calculus import engine
from symgrad.expression.reading import read_expression
from test_properties import expressions

README = [
    "3*x**3-5*x**2+2",
    "sin(x)**2",
    "exp(-x**2)",
    "x*y**2",
    "log(1+exp(x))",
    "x**2+4*y**2",
    "(1-x)**2+100*(y-x**2)**2",
    "x**4+y**4-4*x*y+1",
    "tanh(w*x+b)",
    "x**2*y+cos(x*y)",
    "exp(sin(x))",
]


def same(a, b) -> bool:
    return a == b or sympy.simplify(a - b) == 0


def check_both_engines(function, paths):
    assert engine.handles(function.expr)
    fast = engine.differentiate(function.expr, paths)
    for path, derivative in zip(paths, fast):
        reference = sympy.diff(function.expr, *path)
        assert same(derivative, reference), (function.expr, path, derivative, reference)
        assert derivative.free_symbols <= set(function.variables)  # the caller's symbols, real=True


def test_readme_expressions_differentiate_alike():
    for text in README:
        function = read_expression(text, None)
        variables = function.variables
        paths = [[v] for v in variables] + [[v, w] for v in variables for w in variables]
        check_both_engines(function, paths)


def test_twentieth_derivative_is_the_same():
    function = read_expression("exp(sin(x))", None)
    x = function.variables[0]
    (fast,) = engine.differentiate(function.expr, [[x] * 20])
    assert sympy.expand(fast - sympy.diff(function.expr, x, 20)) == 0


@settings(max_examples=60, deadline=None)
@given(expressions(["x", "y"]))
def test_generated_expressions_differentiate_alike(text):
    function = read_expression(text, "x,y")
    if not engine.handles(function.expr):  # sigmoid, softplus, atan: SymPy's alone
        return
    x, y = function.variables
    check_both_engines(function, [[x], [y], [x, y], [x, x]])


def test_kinks_and_own_functions_stay_with_sympy():
    for text in ["abs(x)", "max(x, 0)", "floor(x)", "sigmoid(x)", "sign(x)*x"]:
        assert not engine.handles(read_expression(text, None).expr)
