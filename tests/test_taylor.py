"""symgrad taylor: Taylor polynomials at a point, against sympy.series and finite differences."""

import math

import pytest
import sympy

from symgrad.analysis.taylor import taylor
from symgrad.expression.parse import parse_expression

X, Y = (sympy.Symbol(n, real=True) for n in ("x", "y"))


@pytest.mark.parametrize(
    ("text", "at", "order"),
    [
        ("x**3", 1, 2),
        ("sin(x)", 0, 5),
        ("exp(x)*cos(x)", 0, 4),
        ("log(x)", 2, 3),
        ("sigmoid(x)", 0, 3),
        ("sqrt(x)", 4, 2),
    ],
)
def test_one_variable_matches_sympy_series(text, at, order):
    f = parse_expression(text)
    model = taylor(text, at=f"x={at}", order=order)
    reference = sympy.series(f.rewrite(sympy.exp) if "sigmoid" in text else f, X, at, order + 1).removeO()
    assert sympy.simplify(model.polynomial - sympy.expand(reference)) == 0


def test_the_tangent_plane_matches_finite_differences():
    f = lambda x, y: math.exp(x) * math.sin(y) + x * y**2  # noqa: E731
    model = taylor("exp(x)*sin(y) + x*y**2", at="x=0.5,y=1", order=1)
    h = 1e-6
    fx = (f(0.5 + h, 1) - f(0.5 - h, 1)) / (2 * h)
    fy = (f(0.5, 1 + h) - f(0.5, 1 - h)) / (2 * h)
    for x, y in [(0.7, 1.2), (0.1, 0.4)]:
        expected = f(0.5, 1) + fx * (x - 0.5) + fy * (y - 1)
        assert float(model.polynomial.subs({X: x, Y: y})) == pytest.approx(expected, rel=1e-8)


def test_the_quadratic_model_has_the_hessian_cross_term_once():
    model = taylor("x*y + x**2", at="x=1,y=1", order=2)
    # f(1,1) = 2, ∇f = (3, 1), ∇²f = [[2, 1], [1, 0]]: 2 + 3(x−1) + (y−1) + (x−1)² + (x−1)(y−1).
    expected = 2 + 3 * (X - 1) + (Y - 1) + (X - 1) ** 2 + (X - 1) * (Y - 1)
    assert sympy.expand(model.polynomial - expected) == 0


def test_text_json_and_latex(cli):
    out = cli("taylor", "x**3", "--at", "x=1").stdout.splitlines()
    assert "order       2 (the quadratic model)" in out
    assert "T₂(x) = 1 + 3·(x − 1) + 3·(x − 1)²" in out
    assert out[-1].strip() == "= 3x² − 3x + 1"
    data = cli("taylor", "x**2 + 4*y**2", "--at", "(1, 2)", "--order", "1", "-f", "json").json()
    assert data == {
        "expression": "x**2 + 4*y**2",
        "variables": ["x", "y"],
        "at": {"x": "1", "y": "2"},
        "order": 1,
        "polynomial": "2*x + 16*y - 17",
        "centred": "17 + 2*(x - 1) + 16*(y - 2)",
        "latex": "2 x + 16 y - 17",
    }
    assert parse_expression(data["polynomial"]) == 2 * X + 16 * Y - 17
    latex = cli("taylor", "x**3", "--at", "x=1", "--order", "1", "-f", "latex").stdout.strip()
    assert latex == r"T_{1}(x) = 1 + 3 \left(x - 1\right) = 3 x - 2"


def test_refusals(cli):
    kink = cli("taylor", "abs(x)", "--at", "x=0")
    assert kink.code == 1 and "no Taylor polynomial here" in kink.stderr
    assert cli("taylor", "x**2", "--at", "x=0", "--order", "11").code == 2
    assert cli("taylor", "x**2").code == 2  # --at is required
