"""symgrad critical: classifications compared with hand-worked textbook cases."""

import math

import pytest

# Every run has --timeout 0: critical gives the exact solver half of the time limit, so under a
# limit a busy machine could turn exact points into numeric ones.


def points(cli, text, *extra):
    data = cli("critical", "--timeout", "0", text, *extra, "-f", "json").json()
    return data, {tuple(p["numeric"]): p for p in data["points"]}


def test_cubic_plus_square(cli):
    # f_x = 3x²-3 = 0 at x=±1, f_y = 2y = 0; det H = 12x: (1,0) minimum, (-1,0) saddle.
    data, found = points(cli, "x**3 - 3*x + y**2")
    assert set(found) == {(1.0, 0.0), (-1.0, 0.0)}
    assert found[(1.0, 0.0)]["kind"] == "minimum"
    assert found[(1.0, 0.0)]["f"] == "-2"
    assert found[(-1.0, 0.0)]["kind"] == "saddle"
    assert found[(-1.0, 0.0)]["f"] == "2"
    assert found[(1.0, 0.0)]["point"] == {"x": "1", "y": "0"}
    assert data["complete"] is True
    assert data["families"] == []


def test_polynomial_with_pi_in_its_coefficients(cli):
    # f' = 2x − 3πx² = 0 at x = 0 (f'' = 2, minimum) and x = 2/(3π) (f'' = −2, maximum).
    data = cli("critical", "--timeout", "0", "x**2 - pi*x**3", "-f", "json").json()
    assert [(p["point"], p["kind"]) for p in data["points"]] == [
        ({"x": "0"}, "minimum"),
        ({"x": "2/(3*pi)"}, "maximum"),
    ]
    assert data["points"][1]["numeric"] == [pytest.approx(2 / (3 * math.pi), rel=1e-15)]
    assert data["complete"] is True


def test_saddle_of_hyperbolic_paraboloid(cli):
    _, found = points(cli, "x**2 - y**2")
    assert found == {(0.0, 0.0): found[(0.0, 0.0)]}
    assert found[(0.0, 0.0)]["kind"] == "saddle"


def test_profit_maximum(cli):
    _, found = points(cli, "-20*p**2 + 200*p - 300")
    assert list(found) == [(5.0,)]
    assert found[(5.0,)]["kind"] == "maximum"
    assert found[(5.0,)]["f"] == "200"  # -500 + 1000 - 300


def test_decimals_are_exact(cli):
    # f_T = -0.02 T + 3 = 0 at T = 150, f_t = -t + 10 = 0 at t = 10.
    _, found = points(cli, "-0.01*T**2 - 0.5*t**2 + 3*T + 10*t")
    (point,) = found.values()
    assert point["point"] == {"T": "150", "t": "10"}
    assert point["kind"] == "maximum"
    assert point["exact"] is True
    assert point["f"] == "275"


def test_quartic_bowl_is_not_a_saddle(cli):
    _, found = points(cli, "x**4 + y**4")
    point = found[(0.0, 0.0)]
    assert point["kind"] == "minimum"
    assert point["test"] == "sampling"
    assert "cannot decide" in point["note"]


@pytest.mark.parametrize(
    "text, kind, test",
    [
        ("x**3", "inflection", "derivative 3"),
        ("x**4", "minimum", "derivative 4"),
        ("-x**6", "maximum", "derivative 6"),
        ("x**5", "inflection", "derivative 5"),
    ],
)
def test_higher_derivative_test(cli, text, kind, test):
    _, found = points(cli, text)
    assert found[(0.0,)]["kind"] == kind
    assert found[(0.0,)]["test"] == test


def test_degenerate_saddle_by_sampling(cli):
    # x⁴ - 2x² + y⁴ at the origin: a maximum along x, a minimum along y.
    _, found = points(cli, "x**4 - 2*x**2 + y**4")
    assert found[(0.0, 0.0)]["kind"] == "saddle"
    assert found[(1.0, 0.0)]["kind"] == found[(-1.0, 0.0)]["kind"] == "minimum"


def test_line_of_minima_is_a_family(cli):
    data, found = points(cli, "(x - y)**2")
    assert found == {}
    (family,) = data["families"]
    assert family["solution"] == {"x": "y", "y": "y"}
    assert family["parameters"] == ["y"]
    assert family["f"] == "0"
    assert family["example"]["kind"] == "minimum"
    assert data["complete"] is True


def test_periodic_family(cli):
    data, _ = points(cli, "sin(x)")
    kinds = {f["solution"]["x"]: f["example"]["kind"] for f in data["families"]}
    assert kinds == {"2*pi*n + pi/2": "maximum", "2*pi*n + 3*pi/2": "minimum"}
    assert all(f["parameter_domain"] == "integers" for f in data["families"])


def test_cubic_roots_stay_real_and_exact(cli):
    # f' = 4x³ - 4x + 1/2: three real roots, which Cardano's formula writes with I.
    data, found = points(cli, "(x**2 - 1)**2 + 0.5*x")
    assert [p["kind"] for p in data["points"]] == ["minimum", "maximum", "minimum"]
    for p in data["points"]:
        x = p["numeric"][0]
        assert 4 * x**3 - 4 * x + 0.5 == pytest.approx(0, abs=1e-12)
        assert p["exact"] is True


def test_numeric_search_when_no_closed_form(cli):
    data, found = points(cli, "exp(x) + x**2")
    (point,) = data["points"]
    x = point["numeric"][0]
    assert math.exp(x) + 2 * x == pytest.approx(0, abs=1e-12)
    assert point["exact"] is False
    assert point["kind"] == "minimum"
    assert data["complete"] is False


def test_no_critical_points(cli):
    data, _ = points(cli, "x + 2*y")
    assert data["points"] == [] and data["families"] == [] and data["complete"] is True


def test_json_shape(cli):
    data, _ = points(cli, "x**2 + y**2")
    assert set(data) >= {"expression", "variables", "points", "complete", "families"}
    (point,) = data["points"]
    assert set(point) >= {"point", "numeric", "f", "kind", "exact"}
    assert point["eigenvalues"] == [2.0, 2.0]


def test_text_view(cli):
    out = cli("critical", "--timeout", "0", "x**3 - 3*x + y**2").stdout
    assert "saddle" in out and "minimum" in out and "complete" in out


@pytest.mark.parametrize("args", [("critical", "x**"), ("critical", "3"), ("critical", "x", "-f", "latex")])
def test_bad_input(cli, args):
    r = cli(*args)
    assert r.code == 2
    assert r.stderr.startswith("Error:") and "Traceback" not in r.stderr


def test_points_the_exact_solver_drops_are_found_numerically(cli):
    # SymPy's solve returns only the origin here; a minimum near (0.858, 0.892) exists too.
    data, found = points(cli, "x**5 + y**5 - 5*x*y + x**3*y**2")
    assert found[(0.0, 0.0)]["kind"] == "saddle" and found[(0.0, 0.0)]["exact"] is True
    (other,) = [p for p in data["points"] if not p["exact"]]
    x, y = other["numeric"]
    assert 5 * x**4 - 5 * y + 3 * x**2 * y**2 == pytest.approx(0, abs=1e-9)
    assert 5 * y**4 - 5 * x + 2 * x**3 * y == pytest.approx(0, abs=1e-9)
    assert other["kind"] == "minimum"
    assert data["complete"] is False


def test_a_long_exact_value_of_f_is_shown_as_a_decimal_in_the_table(cli):
    # f′ = 6x⁵ − 6x + 1 has no roots in radicals: the points are CRootOf objects, f a long sum of them.
    text = cli("critical", "--timeout", "0", "x**6-3*x**2+x").stdout
    assert "-3.01954287   minimum" in text and "CRootOf(6*x**5 - 6*x + 1, 0)**6" not in text
    data = cli("critical", "--timeout", "0", "x**6-3*x**2+x", "-f", "json").json()
    assert "CRootOf" in data["points"][0]["f"]  # JSON keeps the exact value
    assert data["points"][0]["f_numeric"] == pytest.approx(-3.019542873603639, rel=1e-12)


@pytest.mark.parametrize(
    ("expr", "kind", "why"),
    [
        ("abs(x-1)", "minimum", "not differentiable at x=1: f′ is -1 from the left and 1 from the right"),
        ("max(x,-x)", "minimum", "not differentiable at x=0: f′ is -1 from the left and 1 from the right"),
        # floor′ = 0 made x = 0 look like the minimum of x², but f jumps down to -1 just left of it.
        ("floor(x)+x**2", "neither", "at x=0: f jumps there (-1 from the left, 0 from the right)"),
    ],
)
def test_a_kink_or_jump_is_classified_by_sampling_and_named(cli, expr, kind, why):
    data = cli("critical", "--timeout", "0", expr, "-f", "json").json()
    (point,) = data["points"]
    assert point["kind"] == kind and point["test"] == "sampling"
    assert point["note"].endswith(why)


@pytest.mark.parametrize(
    ("expr", "regions"),
    [
        ("relu(x)", [lambda p: p[0] < 0]),  # flat for x < 0
        ("sign(x)", [lambda p: p[0] > 0, lambda p: p[0] < 0]),  # two flat half-lines, in either order
        ("max(x**2, 1)", [lambda p: abs(p[0]) < 1]),
        ("relu(x-1)**2 + y**2", [lambda p: p[0] < 1 and p[1] == pytest.approx(0, abs=1e-9)]),  # a line
    ],
)
def test_whole_regions_of_critical_points_are_named_once_not_listed(cli, expr, regions):
    data = cli("critical", "--timeout", "0", expr, "-f", "json").json()
    assert data["points"] == [] and data["complete"] is False
    assert len(data["flat"]) == len(regions)
    for region in regions:
        assert any(region(p) for p in data["flat"])
    text = cli("critical", "--timeout", "0", expr).stdout
    assert "not isolated: ∇f is zero on a whole interval, line or region through" in text


def test_floor_is_flat_between_its_jumps_not_constant(cli):
    data = cli("critical", "--timeout", "0", "floor(x)", "-f", "json").json()
    assert data["families"] == [] and data["points"] == [] and data["flat"] == [[0.5]]
    assert data["note"] == (
        "the gradient is zero wherever f has one: f is flat between its jumps (floor, ceiling)"
    )


@pytest.mark.parametrize("expr", ["x**6+y**2", "x**10+y**2"])
def test_newton_stalls_near_a_degenerate_point_are_that_point(cli, expr):
    # Newton's method slows to a crawl near x = 0 (the Hessian vanishes there) and stops at many
    # slightly different places; they are the exact point (0, 0), listed once.
    data = cli("critical", "--timeout", "0", expr, "-f", "json").json()
    assert [p["point"] for p in data["points"]] == [{"x": "0", "y": "0"}]
    assert data["complete"] is True and data["flat"] == []


def test_a_polynomial_is_classified_by_derivatives_of_any_order(cli):
    data = cli("critical", "--timeout", "0", "x**20", "-f", "json").json()
    (point,) = data["points"]
    assert point["kind"] == "minimum" and point["test"] == "derivative 20"


@pytest.mark.parametrize(
    ("expr", "kind"),
    [("x*cbrt(x)", "minimum"), ("cbrt(x**4)", "minimum"), ("x**2*cbrt(x)", "inflection")],
)
def test_a_critical_point_where_the_derivative_formula_divides_by_zero(cli, expr, kind):
    # f′ = 4x/(3·cbrt(x)²) for x·cbrt(x): its formula fails at 0, its limit there is 0.
    data = cli("critical", "--timeout", "0", expr, "-f", "json").json()
    assert [(p["point"], p["kind"]) for p in data["points"]] == [({"x": "0"}, kind)]
    assert data["complete"] is True


@pytest.mark.parametrize("expr", ["(x**2+y**2)**2", "(x**2+y**2)**4"])
def test_complex_families_give_only_their_real_points(cli, expr):
    # SymPy solves ∇f = 0 as x = ±I*y; over the reals that is the single point (0, 0).
    data = cli("critical", "--timeout", "0", expr, "-f", "json").json()
    assert [p["point"] for p in data["points"]] == [{"x": "0", "y": "0"}]
    assert data["families"] == [] and data["complete"] is True
    assert data["points"][0]["kind"] == "minimum"


def test_the_grid_search_and_newton_search_find_the_point_the_exact_solver_drops():
    # The minimum near (0.858, 0.892) of test_points_the_exact_solver_drops_are_found_numerically,
    # found both ways: Newton from many starts, and sign changes of ∇f on a grid (as plot does).
    import numpy
    import sympy

    from symgrad.analysis.critical.compiled import derivatives
    from symgrad.analysis.critical.search import NewtonSearch, grid_search

    x, y = sympy.symbols("x y", real=True)
    d = derivatives(x**5 + y**5 - 5 * x * y + x**3 * y**2, [x, y])
    newton = [tuple(float(v) for v in point.values()) for point, _ in NewtonSearch(d).run()]
    on_grid = grid_search(d, [numpy.linspace(-2, 2, 161), numpy.linspace(-2, 2, 161)])
    (minimum,) = [p for p in newton if p != (0.0, 0.0)]
    assert any(max(abs(a - b) for a, b in zip(minimum, p)) < 1e-9 for p in on_grid)
    assert any(max(abs(c) for c in p) < 1e-9 for p in on_grid)  # the saddle at the origin
