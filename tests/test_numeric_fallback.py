"""No cliff at the time limit: when the exact path cannot finish, grad and diff at points give numbers."""

import math
import time

import pytest

from symgrad import calculus
from symgrad.analysis.derivatives import gradient
from symgrad.calculus.values import evaluate
from symgrad.expression.points import read_point

NET = "(1/(1+exp(-(v*tanh(w*2+b)+c)))-1)**2+sigmoid(v*tanh(w*3+b)+c)**2"
POINT = "w=1/10,b=1/5,v=3/10,c=-2/5"


def never_finishes(*args, **kwargs):
    """A symbolic path that provably cannot finish within any limit."""
    while True:
        time.sleep(0.01)


@pytest.fixture
def stuck(monkeypatch):
    monkeypatch.setattr(calculus, "gradient", never_finishes)
    monkeypatch.setattr(calculus, "derivative", never_finishes)


def exact_values(text, point_text):
    result = gradient(text)
    point = read_point(result.function, point_text)
    return [evaluate(component, point).numeric for component in result.gradient]


def test_grad_gives_the_numeric_gradient_marked_as_numeric(cli, monkeypatch):
    expected = exact_values(NET, POINT)
    monkeypatch.setattr(calculus, "gradient", never_finishes)
    run = cli("grad", NET, "--at", POINT, "--timeout", "2")
    assert run.code == 0
    assert "exact: — (time limit); numeric value from forward-mode automatic differentiation" in run.stdout
    data = cli("grad", NET, "--at", POINT, "--timeout", "2", "-f", "json").json()
    assert data["gradient"] is None and data["numeric_only"] == "time limit"
    assert data["value"] == [None] * 4
    assert data["numeric"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_diff_gives_the_numeric_derivative(cli, stuck):
    data = cli("diff", "sin(x)*exp(x)", "--at", "x=1", "--timeout", "2", "-f", "json").json()
    assert data["derivative"] is None and data["value"] is None
    assert data["numeric"] == pytest.approx(math.e * (math.sin(1) + math.cos(1)), rel=1e-14)


def test_without_a_point_the_time_limit_stands(cli, stuck):
    run = cli("grad", NET, "--timeout", "0.5")
    assert run.code == 3


def test_at_a_kink_the_time_limit_stands(cli, stuck):
    run = cli("grad", "abs(x)+y**2", "--at", "0,1", "--timeout", "0.5")
    assert run.code == 3


def test_a_thousand_term_sum_is_accepted_and_differentiated(cli):
    text = "+".join(f"sin({k}*x)" for k in range(1, 1001))
    assert len(text) > 10_000
    data = cli("diff", text, "--at", "x=0", "--timeout", "0", "-f", "json").json()
    assert data["value"] == str(sum(range(1, 1001)))
