"""symgrad grad --direction: the directional derivative ∇f·u with u normalised."""

import math

import pytest


def test_directional_derivative_of_bowl(cli):
    data = cli("grad", "x**2 + 4*y**2", "--at", "1,2", "--direction", "1,1", "-f", "json").json()
    # ∇f(1,2) = (2, 16); u = (1,1)/√2; ∇f·u = 18/√2 = 9√2
    assert data["direction"] == pytest.approx([1 / math.sqrt(2)] * 2)
    assert data["directional_derivative"] == "9*sqrt(2)"
    assert data["directional_numeric"] == pytest.approx(9 * math.sqrt(2), rel=1e-15)
    assert data["direction_normalised"] is True


def test_matches_finite_difference_along_u(cli):
    f = lambda x, y: math.sin(x) * y**2  # noqa: E731
    data = cli("grad", "sin(x)*y**2", "--at", "0.3,1.2", "--direction", "3,-4", "-f", "json").json()
    u = (0.6, -0.8)
    h = 1e-6
    reference = (f(0.3 + h * u[0], 1.2 + h * u[1]) - f(0.3 - h * u[0], 1.2 - h * u[1])) / (2 * h)
    assert data["directional_numeric"] == pytest.approx(reference, rel=1e-8)


def test_unit_direction_is_said_to_be_unit(cli):
    out = cli("grad", "x**2 + 4*y**2", "--at", "1,2", "--direction", "0,1").stdout
    assert "already of length 1" in out
    assert "∇f·u" in out


def test_text_says_normalised(cli):
    out = cli("grad", "x**2 + 4*y**2", "--at", "1,2", "--direction", "1,1").stdout
    assert "normalised" in out and "9√2" in out


@pytest.mark.parametrize("direction", ["0,0", "1", "1,2,3", "a,1"])
def test_bad_direction_exits_2(cli, direction):
    r = cli("grad", "x**2 + 4*y**2", "--at", "1,2", "--direction", direction)
    assert r.code == 2
    assert r.stderr.startswith("Error:") and "Traceback" not in r.stderr


def test_latex_shows_the_direction_and_the_directional_derivative(cli):
    lines = cli("grad", "x**2+4*y**2", "--at", "1,2", "--direction", "1,1", "-f", "latex").stdout.splitlines()
    assert lines[1] == (
        r"u = \begin{pmatrix} \frac{\sqrt{2}}{2} \\ \frac{\sqrt{2}}{2} \end{pmatrix}, \quad "
        r"\nabla f \cdot u = \sqrt{2} x + 4 \sqrt{2} y"
    )
    assert lines[-1] == r"\left.\nabla f \cdot u\right|_{x=1, y=2} = 9 \sqrt{2}"  # (2 + 16)/√2
