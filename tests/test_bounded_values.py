"""Exact values within a budget: short ones are shown, long ones give way to their decimal."""

import math

import pytest
import sympy

from symgrad.analysis.derivatives import gradient
from symgrad.calculus.values import evaluate, is_short
from symgrad.expression.points import read_point

# One tanh unit into a sigmoid, squared error on two samples: its gradient at a point is long in
# exact form.
NET = "(1/(1+exp(-(v*tanh(w*2+b)+c)))-1)**2+(1/(1+exp(-(v*tanh(w*3+b)+c))))**2"
POINT = "w=1/10,b=1/5,v=3/10,c=-2/5"


def test_short_values_stay_exact():
    x = sympy.Symbol("x", real=True)
    assert evaluate(9 * x**2 - 10 * x, {x: 2}, bounded=True).exact == 16
    assert evaluate(sympy.sqrt(x) + sympy.pi, {x: 2}, bounded=True).exact == sympy.sqrt(2) + sympy.pi
    assert is_short(5 - 3 * sympy.sqrt(2) / 4)


def test_long_values_give_only_the_decimal_and_it_agrees_with_the_exact_one():
    x, y = sympy.symbols("x y", real=True)
    unit = sympy.exp(-x * sympy.tanh(y))
    loss = sympy.tanh(x) * unit / (1 + unit) ** 2 + sympy.tanh(y) / (1 + sympy.exp(x))
    point = {x: sympy.Integer(2), y: sympy.Rational(1, 3)}
    quick = evaluate(loss, point, bounded=True)
    full = evaluate(loss, point)
    assert quick.exact is None and full.exact is not None
    assert quick.numeric == full.numeric  # both correctly rounded from about 30 digits


def test_gradient_of_a_neural_unit_gives_decimals(cli):
    data = cli("grad", NET, "--at", POINT, "--timeout", "0", "-f", "json").json()
    result = gradient(NET)
    point = read_point(result.function, POINT)
    assert data["value"] == [None, None, None, None]
    assert data["norm_exact"] is None
    for value, component in zip(data["numeric"], result.gradient):
        assert value == evaluate(component, point).numeric  # the exact value's float, unbounded
    direction = data["descent_direction"]
    assert math.fsum(d * d for d in direction) == pytest.approx(1.0)


def test_text_view_shows_a_dash_for_the_long_exact_value(cli):
    text = cli("grad", NET, "--at", POINT, "--timeout", "0").stdout
    rows = [line.split() for line in text.splitlines() if line.startswith("∂f/∂")]
    assert len(rows) == 4
    assert all(row[1] == "—" and float(row[2]) for row in rows)


def test_hessian_long_entries_are_null_in_json_and_decimals_in_latex(cli):
    data = cli("hessian", NET, "--at", POINT, "--timeout", "0", "-f", "json").json()
    assert data["value"][0][0] is None
    assert isinstance(data["numeric"][0][0], float)
    latex = cli("hessian", NET, "--at", POINT, "--timeout", "0", "-f", "latex").stdout
    assert "None" not in latex


def test_long_derivative_value_is_null_and_the_rest_of_the_json_reads_back(cli):
    data = cli("diff", NET, "--wrt", "w", "--at", POINT, "--timeout", "0", "-f", "json").json()
    assert data["value"] is None
    assert isinstance(data["numeric"], float)
    again = cli("diff", data["derivative"], "--wrt", "v", "--vars", "w,b,v,c", "-f", "json").json()
    assert again["derivative"]
