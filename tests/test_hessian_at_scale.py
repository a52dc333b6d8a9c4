"""Hessians and gradients of many variables at a point: exact entries against closed forms written
here by hand, the same answers at kinks, and f substituted into once per point, not once per entry."""

import pytest

from symgrad.analysis import derivatives, hessian
from symgrad.calculus import kinks

N = 40
POINT = [(i * 5) % 7 - 3 for i in range(N)]  # x1..x40 = -3, 2, 0, -2, 1, ...
AT = ",".join(str(v) for v in POINT)


def chained_quadratic(n: int) -> str:
    return "+".join(f"(x{i}+x{i + 1}-1)**2+x{i}**2" for i in range(1, n))


def rosenbrock(n: int) -> str:
    return "+".join(f"100*(x{2 * i}-x{2 * i - 1}**2)**2+(1-x{2 * i - 1})**2" for i in range(1, n // 2 + 1))


def chained_hessian(n: int) -> list[list[int]]:
    """Each (x_i + x_{i+1} - 1)² adds 2 to four entries, each x_i² (i < n) adds 2 to one."""
    h = [[0] * n for _ in range(n)]
    for i in range(n - 1):
        for a in (i, i + 1):
            for b in (i, i + 1):
                h[a][b] += 2
        h[i][i] += 2
    return h


def chained_gradient(x: list[int]) -> list[int]:
    n = len(x)
    g = [0] * n
    for i in range(n - 1):
        g[i] += 2 * (x[i] + x[i + 1] - 1) + 2 * x[i]
        g[i + 1] += 2 * (x[i] + x[i + 1] - 1)
    return g


def rosenbrock_hessian(x: list[int]) -> list[list[int]]:
    """For a = x_{2i-1}, b = x_{2i}: ∂²/∂a² = 1200a² - 400b + 2, ∂²/∂a∂b = -400a, ∂²/∂b² = 200."""
    n = len(x)
    h = [[0] * n for _ in range(n)]
    for k in range(0, n, 2):
        a, b = x[k], x[k + 1]
        h[k][k] = 1200 * a**2 - 400 * b + 2
        h[k][k + 1] = h[k + 1][k] = -400 * a
        h[k + 1][k + 1] = 200
    return h


@pytest.mark.parametrize(
    "text, expected",
    [(chained_quadratic(N), chained_hessian(N)), (rosenbrock(N), rosenbrock_hessian(POINT))],
    ids=["chained quadratic", "extended Rosenbrock"],
)
def test_hessian_of_40_variables_is_the_closed_form(cli, text, expected):
    data = cli("hessian", text, "--at", AT, "--timeout", "0", "-f", "json").json()
    assert data["value"] == [[str(v) for v in row] for row in expected]
    assert data["numeric"] == [[float(v) for v in row] for row in expected]


def test_gradient_of_40_variables_is_the_closed_form(cli):
    data = cli("grad", chained_quadratic(N), "--at", AT, "--timeout", "0", "-f", "json").json()
    assert data["value"] == [str(v) for v in chained_gradient(POINT)]


@pytest.mark.parametrize(
    "text, at, value",
    [
        ("x**2*abs(x) + x*y", "0,0", [["0", "1"], ["1", "0"]]),  # 6|x| → 0 at the kink
        ("max(x, 0)**3 + x*y + y**2", "0,1", [["0", "1"], ["1", "2"]]),
    ],
)
def test_hessian_at_a_kink_where_it_exists(cli, text, at, value):
    data = cli("hessian", text, "--at", at, "-f", "json").json()
    assert data["value"] == value
    assert data["definiteness"] == "indefinite"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("hessian", "x*abs(x)+y**2", "--at", "0,1"),
            "not differentiable at x=0, y=1: ∂²f/∂x² is -2 from the left and 2 from the right along x",
        ),
        (
            ("hessian", "relu(x*y)", "--at", "0,0"),
            "not differentiable at x=0, y=0: ∂f/∂x does not exist just beside it along y "
            "(its one-sided values along x differ there)",
        ),
        (
            ("grad", "abs(x)+y", "--at", "0,1"),
            "not differentiable at x=0, y=1: ∂f/∂x is -1 from the left and 1 from the right along x",
        ),
    ],
)
def test_refused_at_a_kink_as_before(cli, args, message):
    run = cli(*args)
    assert run.code == 1
    assert run.stderr.strip() == f"Error: {message}"


@pytest.fixture
def evaluated(monkeypatch):
    """The expressions that the derivatives at a point substitute the point into, in order."""
    seen = []
    evaluate = kinks.evaluate

    def counting(expr, point, **options):
        seen.append(expr)
        return evaluate(expr, point, **options)

    monkeypatch.setattr(kinks, "evaluate", counting)
    return seen


@pytest.mark.parametrize("text", [chained_quadratic(N), rosenbrock(N)])
def test_hessian_substitutes_into_f_once_and_into_each_distinct_entry_once(evaluated, text):
    result = hessian.hessian(text, at=[AT])
    entries = {entry for row in result.hessian for entry in row}
    assert evaluated.count(result.function.expr) == 1
    assert len(evaluated) == 1 + len(entries)  # 1 + 4 for the chained quadratic, not 2·40²
    assert set(evaluated) == entries | {result.function.expr}


def test_gradient_substitutes_into_f_once_and_into_each_distinct_component_once(evaluated):
    result = derivatives.gradient(rosenbrock(N), at=[AT])
    assert evaluated.count(result.function.expr) == 1
    assert len(evaluated) == 1 + len(set(result.gradient))
