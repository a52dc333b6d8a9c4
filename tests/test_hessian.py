"""symgrad hessian: exact entries, curvature at a point and descent step sizes, checked by hand and
against second differences of f written directly in Python (an independent reference)."""

import math

import pytest


def test_bowl_at_a_point(cli):
    data = cli("hessian", "x**2 + 4*y**2", "--at", "1,2", "-f", "json").json()
    assert data["hessian"] == [["2", "0"], ["0", "8"]]
    assert data["value"] == [["2", "0"], ["0", "8"]]
    assert data["numeric"] == [[2.0, 0.0], [0.0, 8.0]]
    assert data["eigenvalues"] == pytest.approx([2.0, 8.0], abs=1e-12)
    assert data["definiteness"] == "positive definite"
    assert data["condition_number"] == pytest.approx(4.0)
    assert data["lr_max_stable"] == pytest.approx(0.25)  # 2/8
    assert data["lr_best"] == pytest.approx(0.2)  # 2/(2+8)
    assert data["contraction"] == pytest.approx(0.6)  # (4-1)/(4+1)
    assert data["at"] == {"x": "1", "y": "2"}


def test_symbolic_hessian_without_point(cli):
    data = cli("hessian", "x**2*y + sin(x)", "-f", "json").json()
    assert data["hessian"] == [["2*y - sin(x)", "2*x"], ["2*x", "0"]]
    assert "eigenvalues" not in data


@pytest.mark.parametrize(
    "text, at, expected",
    [
        # |u|³ has Hessian 6|u|·∇u∇uᵀ, zero where u = 0; plus x*y's own [[0, 1], [1, 0]]
        ("abs(x - y)**3", "1,1", [["0", "0"], ["0", "0"]]),
        ("abs(x + 2*y)**3", "2,-1", [["0", "0"], ["0", "0"]]),
        ("abs(x - y)**3 + x*y", "1,1", [["0", "1"], ["1", "0"]]),
    ],
)
def test_a_twice_differentiable_kink_along_a_diagonal(cli, text, at, expected):
    """Checking the first derivative just beside the point along y, then along x, must not land
    back on the kink line x = y."""
    assert cli("hessian", text, "--at", at, "-f", "json").json()["value"] == expected


@pytest.mark.parametrize(
    "text, f, point",
    [
        ("x**2*y + sin(x)", lambda x, y: x**2 * y + math.sin(x), (1.0, 2.0)),
        ("exp(x*y) + x**3", lambda x, y: math.exp(x * y) + x**3, (0.5, -0.3)),
        ("log(1 + x**2 + y**2) * z", lambda x, y, z: math.log(1 + x**2 + y**2) * z, (0.3, 0.7, 1.5)),
    ],
)
def test_hessian_matches_second_differences(cli, text, f, point):
    at = ",".join(str(v) for v in point)
    numeric = cli("hessian", text, "--at", at, "-f", "json").json()["numeric"]
    h = 1e-4
    n = len(point)
    for i in range(n):
        for j in range(n):

            def shifted(di, dj, i=i, j=j):
                p = list(point)
                p[i] += di * h
                p[j] += dj * h
                return f(*p)

            reference = (shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) / (4 * h * h)
            assert numeric[i][j] == pytest.approx(reference, rel=1e-5, abs=1e-5)


@pytest.mark.parametrize(
    "text, at, kind",
    [
        ("x**2 - y**2", "0,0", "indefinite"),
        ("-x**2 - 3*y**2", "0,0", "negative definite"),
        ("x**2", "1", "positive definite"),
        ("x**2 + 0*y", "0,0", "positive semidefinite"),
        ("-(x+y)**2", "0,0", "negative semidefinite"),
    ],
)
def test_definiteness(cli, text, at, kind):
    data = cli("hessian", text, "--at", at, "--vars", "x,y" if "y" in text else "x", "-f", "json").json()
    assert data["definiteness"] == kind
    if kind != "positive definite":
        assert data["lr_max_stable"] is None and data["lr_best"] is None
        assert data["explanation"]


def test_singular_hessian_has_no_condition_number(cli):
    data = cli("hessian", "(x+y)**2", "--at", "0,0", "-f", "json").json()
    assert data["condition_number"] is None
    assert data["eigenvalues"] == pytest.approx([0.0, 4.0], abs=1e-12)


def test_text_view(cli):
    out = cli("hessian", "x**2 + 4*y**2", "--at", "1,2").stdout
    assert "positive definite" in out
    assert "lr < 2/λmax = 0.25" in out
    assert "κ = 4" in out


def test_latex(cli):
    out = cli("hessian", "x**2*y", "-f", "latex").stdout
    assert out.startswith(r"\nabla^2 f = \begin{pmatrix} 2 y & 2 x \\ 2 x & 0 \end{pmatrix}")


@pytest.mark.parametrize(
    "args",
    [
        ("hessian", "x**2+", "--at", "1"),
        ("hessian", "x**2 + y", "--at", "1"),
        ("hessian", "5"),
        ("hessian", "x**2", "--format", "csv"),
    ],
)
def test_bad_input_exits_2_with_one_error_line(cli, args):
    r = cli(*args)
    assert r.code == 2
    assert r.stderr.startswith("Error:")
    assert "Traceback" not in r.stderr
