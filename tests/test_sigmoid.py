"""σ as a function of its own: σ′ = σ(1 − σ) in every command, floats, exact values and JSON."""

import math

import numpy
import pytest
import sympy

from symgrad.analysis.backprop import backpropagate
from symgrad.calculus import compile_function, derivative
from symgrad.expression.functions import sigmoid
from symgrad.expression.parse import parse_expression
from symgrad.expression.reading import read_expression

X = sympy.Symbol("x", real=True)


def logistic(u: float) -> float:
    return 1 / (1 + math.exp(-u))


def test_the_derivative_is_sigma_times_one_minus_sigma(cli):
    out = cli("diff", "sigmoid(x)").stdout.splitlines()
    assert out[-1] == "derivative  d/dx = σ(x)·(1 − σ(x))"
    data = cli("diff", "sigmoid(x)", "-f", "json").json()
    assert data["derivative"] == "sigmoid(x)*(1 - sigmoid(x))"
    assert data["latex"] == r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)"
    # The JSON reads back through symgrad's parser to the same derivative.
    assert parse_expression(data["derivative"]) == sigmoid(X) * (1 - sigmoid(X))


def test_exact_values_at_points(cli):
    data = cli("diff", "sigmoid(x)", "--at", "x=0", "-f", "json").json()
    assert data["value"] == "1/4"
    assert sigmoid(sympy.Integer(0)) == sympy.Rational(1, 2)
    assert sigmoid(sympy.Integer(2)) == 1 / (1 + sympy.exp(-2))
    assert sigmoid(X).rewrite(sympy.exp) == 1 / (1 + sympy.exp(-X))


@pytest.mark.parametrize("backend", ["math", "numpy"])
def test_compiled_floats_agree_with_the_formula_and_never_overflow(backend):
    f = compile_function((sigmoid(X), derivative(sigmoid(X), [X])), [X], backend)
    for u in (-3.0, 0.0, 0.7, 5.0):
        value, slope = f((numpy.float64(u) if backend == "numpy" else u,))
        assert float(value) == pytest.approx(logistic(u), rel=1e-15)
        assert float(slope) == pytest.approx(logistic(u) * (1 - logistic(u)), rel=1e-14)
    assert [float(v) for v in f((-1000.0,))] == [0.0, 0.0]
    assert [float(v) for v in f((1000.0,))] == [1.0, 0.0]


def test_backprop_has_a_sigma_node_with_local_derivative_sigma_one_minus_sigma():
    result = backpropagate("sigmoid(w*x + b)", at="w=0.5,x=2,b=0")
    (node,) = [n for n in result.nodes if n.op == "sigmoid"]
    s = logistic(1.0)
    assert node.value == pytest.approx(s, rel=1e-15)
    assert result.gradient["w"] == pytest.approx(s * (1 - s) * 2, rel=1e-14)
    assert result.gradient["b"] == pytest.approx(s * (1 - s), rel=1e-14)


def test_critical_points_solve_through_sigma(cli):
    data = cli("critical", "(sigmoid(x) - 0.3)**2", "-f", "json").json()
    assert data["complete"] is True
    (point,) = data["points"]
    assert point["numeric"][0] == pytest.approx(math.log(3 / 7), rel=1e-12)


def test_plot_and_check_work_with_sigma(cli, tmp_path):
    r = cli("plot", "sigmoid(x)", "-o", str(tmp_path / "s.png"))
    assert r.code == 0, r.stderr
    r = cli("check", "sigmoid(x)", "--grad", "sigmoid(x)*(1-sigmoid(x))", "--at", "x=0.3")
    assert r.code == 0, r.stderr


def test_the_expression_reads_with_sigma_kept_whole():
    f = read_expression("sigmoid(2*x)")
    assert f.expr == sigmoid(2 * X)
