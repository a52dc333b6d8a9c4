"""symgrad check: the symbolic gradient against finite differences, and the user's gradient."""

import math

import pytest


def test_correct_gradient_agrees(cli):
    r = cli("check", "x**2*y", "--at", "1,2", "--grad", "2*x*y, x**2", "-f", "json")
    assert r.code == 0
    data = r.json()
    assert data["ok"] is True and data["wrong_components"] == []
    assert [c["agrees"] for c in data["components"]] == [True, True]
    assert [c["value"] for c in data["components"]] == ["4", "1"]


def test_wrong_component_is_named_and_exits_1(cli):
    r = cli("check", "x**2*y", "--at", "1,2", "--grad", "2*x, x**2")
    assert r.code == 1
    assert r.stderr.startswith("Error: your gradient differs from the true one in component 1 (∂f/∂x)")
    assert r.stderr.count("\n") == 1
    assert "WRONG in component 1 (∂f/∂x)" in r.stdout


def test_wrong_component_json(cli):
    r = cli("check", "x**2*y", "--at", "1,2", "--grad", "2*x, x**2", "-f", "json")
    assert r.code == 1
    data = r.json()
    first, second = data["components"]
    assert first["agrees"] is False and second["agrees"] is True
    assert first["abs_error"] == 2.0 and first["rel_error"] == 0.5
    assert data["wrong_components"] == [1]


def test_agreeing_only_at_the_point_is_still_wrong(cli):
    # 4*x equals 2*x*y at y=2 but nowhere else off that line.
    r = cli("check", "x**2*y", "--at", "1,2", "--grad", "4*x, x**2", "-f", "json")
    assert r.code == 1
    assert r.json()["components"][0]["differs_at"] is not None


def test_finite_differences_match_closed_form(cli):
    data = cli("check", "sin(x)*exp(y)", "--at", "0.5,0.3", "-f", "json").json()
    fx, fy = data["components"]
    assert fx["numeric"] == pytest.approx(math.cos(0.5) * math.exp(0.3), rel=1e-15)
    assert fy["numeric"] == pytest.approx(math.sin(0.5) * math.exp(0.3), rel=1e-15)
    for c in (fx, fy):
        assert c["h"] == pytest.approx(2.220446049250313e-16 ** (1 / 3))
        # central differences: error O(h²) ≈ 4e-11 here, and within the stated estimate
        assert c["fd_abs_error"] <= 10 * c["fd_expected_error"]
        assert c["fd_expected_error"] < 1e-9
        assert c["fd_agrees"] is True


def test_equivalent_forms_agree(cli):
    r = cli("check", "log(x**2 + 1)", "--at", "0.5", "--grad", "2*x/(x**2+1)")
    assert r.code == 0
    assert "correct" in r.stdout


@pytest.mark.parametrize(
    "grad",
    ["2*x", "2*x*y, x**2, 1", "2*x*, x**2", "2*z, x**2"],
)
def test_bad_gradient_exits_2(cli, grad):
    r = cli("check", "x**2*y", "--at", "1,2", "--grad", grad)
    assert r.code == 2
    assert r.stderr.startswith("Error:") and "Traceback" not in r.stderr


def test_point_is_required(cli):
    r = cli("check", "x**2")
    assert r.code == 2 and r.stderr.startswith("Error:")


def test_atan2_component_is_not_split(cli):
    r = cli("check", "x*atan2(1, 2) + y", "--at", "1,1", "--grad", "atan2(1, 2), 1")
    assert r.code == 0


def test_f_beyond_float_range_cannot_be_checked_by_finite_differences(cli):
    result = cli("check", "x**2", "--at", "1e200")
    assert result.code == 1
    assert result.stderr == (
        "Error: f is beyond the range of floats at x=1e200, so finite differences cannot check the "
        "gradient there: choose a point where f is below about 1e308\n"
    )


def test_no_gradient_to_check_at_a_kink(cli):
    # sign(x) is SymPy's derivative of abs(x), but |x| has no derivative at 0 to agree with.
    result = cli("check", "abs(x)", "--at", "0", "--grad", "sign(x)")
    assert result.code == 1
    assert result.stderr == "Error: not differentiable at x=0: f′ is -1 from the left and 1 from the right\n"


# --- without --at: the user's gradient against the true one everywhere ----------------------------


def test_without_a_point_a_right_gradient_is_proved_exactly(cli):
    r = cli("check", "x**2*y + sin(x)", "--grad", "2*x*y + cos(x), x**2")
    assert r.code == 0, r.stderr
    assert "correct (the difference simplifies to 0)" in r.stdout
    data = cli("check", "x**2*y + sin(x)", "--grad", "2*x*y + cos(x), x**2", "-f", "json").json()
    assert data["at"] is None and data["ok"] is True and data["finite_differences_agree"] is None
    assert [c["decided"] for c in data["components"]] == ["exactly", "exactly"]


def test_without_a_point_the_first_wrong_component_is_named(cli):
    r = cli("check", "x**2*y", "--grad", "2*x*y, x**2 + 1")
    assert r.code == 1
    assert r.stderr.startswith("Error: your gradient differs from the true one in component 2 (∂f/∂y)")
    data = cli("check", "x**2*y", "--grad", "2*x, x**2 + 1", "-f", "json").json()
    assert data["wrong_components"] == [1, 2] and data["ok"] is False
    # The point named is one where the two really differ.
    where = data["components"][0]["differs_at"]
    assert 2 * where["x"] != 2 * where["x"] * where["y"]


def test_without_a_point_forms_that_look_different_are_equal(cli):
    data = cli("check", "sigmoid(x)", "--grad", "exp(-x)/(1+exp(-x))**2", "-f", "json").json()
    assert data["ok"] is True and data["components"][0]["decided"] == "exactly"


def test_without_a_point_or_a_gradient_there_is_nothing_to_check(cli):
    r = cli("check", "x**2")
    assert r.code == 2 and "--at" in r.stderr and "--grad" in r.stderr
