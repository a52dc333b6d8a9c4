"""The verdict on where a descent stopped, from the Hessian, the exact critical points and limits."""

import math

import pytest

from symgrad.analysis.landscape import Ending, Judge
from symgrad.expression.reading import read_expression


def verdict(text, *, maximize=False, **ending):
    ending.setdefault("converged", False)
    ending.setdefault("diverged", False)
    ending.setdefault("learning_rate", 0.1)
    point = ending["point"]
    ending.setdefault("start", tuple(p + 1.0 for p in point))
    return Judge(read_expression(text), maximize=maximize).verdict(Ending(**ending))


def test_a_saddle_is_not_a_minimum_and_the_way_down_is_named():
    result = verdict("x**2 - y**2", point=(0.0, 0.0), gradient_norm=0.0, converged=True)
    assert result.kind == "saddle"
    assert result.direction == (0.0, 1.0)  # the eigenvector of the Hessian's eigenvalue −2
    assert "not a minimum" in result.text and "--noise" in result.text


def test_of_two_minima_the_lower_one_is_global():
    f = "x**4 - 2*x**2 + x/2"
    # The minima of f are the roots of f′ = 4x³ − 4x + 1/2 with f″ > 0; check them independently.
    roots = sorted(r.real for r in __import__("numpy").roots([4, 0, -4, 0.5]) if abs(r.imag) < 1e-12)
    low, high = roots[0], roots[-1]
    value = lambda x: x**4 - 2 * x**2 + x / 2  # noqa: E731
    assert value(low) < value(high)
    left = verdict(f, point=(low,), gradient_norm=1e-9, converged=True)
    right = verdict(f, point=(high,), gradient_norm=1e-9, converged=True)
    assert (left.kind, left.is_global) == ("minimum", True)
    assert (right.kind, right.is_global) == ("minimum", False)
    assert f"{value(low):.6g}" in right.text


def test_a_minimum_of_a_function_unbounded_below_is_not_global():
    result = verdict("x**3 - 3*x", point=(1.0,), gradient_norm=0.0, converged=True)
    assert (result.kind, result.is_global) == ("minimum", False)
    assert "without bound" in result.text


def test_the_flat_tail_of_the_sigmoid_is_a_plateau_not_a_missing_minimum():
    w = 10.0
    s = 1 / (1 + math.exp(-w))
    gradient = 2 * (s - 0.5) * s * (1 - s)  # 4.5e-5
    result = verdict("(sigmoid(w) - 0.5)**2", point=(w,), gradient_norm=gradient)
    assert result.kind == "plateau"
    assert "σ" in result.text and "w = 0" in result.text


@pytest.mark.parametrize(
    ("text", "maximize", "point", "hint"),
    [
        ("x**3", False, (-1e4,), None),
        ("-x**2", False, (-1e6,), "--maximize"),
        ("x**2", True, (1e6,), "leave out --maximize"),
    ],
)
def test_unbounded_only_when_f_really_runs_away(text, maximize, point, hint):
    result = verdict(text, maximize=maximize, point=point, start=(1.0,), gradient_norm=1e6, diverged=True)
    assert result.kind == "unbounded"
    if hint:
        assert hint in result.text


def test_erf_falls_towards_a_bound_so_it_is_not_unbounded():
    result = verdict("erf(x)", point=(-3.0,), start=(0.0,), gradient_norm=1.4e-4)
    assert result.kind != "unbounded"


def test_a_learning_rate_far_below_one_over_l_is_too_slow():
    result = verdict("x**2", point=(8.19,), gradient_norm=16.4, learning_rate=0.001)
    assert result.kind == "too slow"
    assert result.suggested_learning_rate == 0.5  # 1/L with L = f″ = 2


def test_a_learning_rate_at_two_over_l_bounces():
    result = verdict(
        "x**2", point=(10.0,), start=(10.0,), gradient_norm=20.0, learning_rate=1.0, bouncing=True
    )
    assert result.kind == "too large"
    assert result.suggested_learning_rate == 0.5


def test_maximizing_finds_a_maximum():
    result = verdict("-(x-1)**2 + 3", maximize=True, point=(1.0,), gradient_norm=0.0, converged=True)
    assert (result.kind, result.is_global) == ("maximum", True)
