"""Limits along lines for the verdict: exact for polynomials, the same as sympy.limit; and the set-up's
∇f and ∇²f shared with the verdict instead of worked out again."""

import random

import pytest
import sympy

from symgrad import calculus
from symgrad.analysis import limits
from symgrad.analysis.critical.compiled import derivatives
from symgrad.analysis.critical.points import critical_points_of
from symgrad.descent.plan import plan_descent
from symgrad.descent.settings import DescentSettings
from symgrad.expression.reading import read_expression

x, y, z = sympy.symbols("x y z", real=True)
t = sympy.Symbol("t", positive=True)
ENDS = (sympy.oo, -sympy.oo)


def _rational(rng, top=9):
    return sympy.Rational(rng.randint(-top, top), rng.randint(1, 6))


def _polynomial(rng):
    """A sum of a few monomials in x, y, z of degree up to 7, sometimes raised to a power."""
    monomials = [
        _rational(rng) * x ** rng.randint(0, 3) * y ** rng.randint(0, 2) * z ** rng.randint(0, 2)
        for _ in range(rng.randint(1, 4))
    ]
    p = sympy.Add(*monomials)
    return p ** rng.randint(2, 3) - 3 * p if rng.random() < 0.25 else p


def _ray(rng):
    """p + d·t, with some directions along an axis and some starting at 0."""
    start = [_rational(rng) if rng.random() < 0.7 else sympy.Integer(0) for _ in range(3)]
    direction = [_rational(rng) for _ in range(3)]
    if rng.random() < 0.3:
        axis = rng.randrange(3)
        direction = [sympy.Integer(1) if k == axis else sympy.Integer(0) for k in range(3)]
    return {v: p + d * t for v, p, d in zip((x, y, z), start, direction)}


def _degenerate(rng):
    """f = L^k·q + r, where L is a linear form constant along the ray: the top terms in t cancel, and
    the limit depends on what is left (sometimes only a constant)."""
    a = [_rational(rng) or sympy.Integer(1) for _ in range(3)]
    other = [_rational(rng) for _ in range(3)]
    # d = a × other is orthogonal to a, so L = a·(x, y, z) does not change along p + d·t.
    d = [
        a[1] * other[2] - a[2] * other[1],
        a[2] * other[0] - a[0] * other[2],
        a[0] * other[1] - a[1] * other[0],
    ]
    start = [_rational(rng) for _ in range(3)]
    form = a[0] * x + a[1] * y + a[2] * z
    rest = _polynomial(rng) if rng.random() < 0.7 else _rational(rng)
    f = sympy.expand(form ** rng.randint(2, 4) * (x**2 + y**2 + z**2 + 1) - form**2 * (x**2 + y**2 + z**2))
    return f + rest, {v: p + c * t for v, p, c in zip((x, y, z), start, d)}


def _cases():
    rng = random.Random(20240611)
    cases = [(_polynomial(rng), _ray(rng)) for _ in range(30)]
    cases += [_degenerate(rng) for _ in range(10)]
    return cases


@pytest.mark.parametrize("f, ray", _cases())
def test_the_limit_of_a_polynomial_along_a_ray_is_sympys(f, ray):
    for end in ENDS:
        expected = sympy.limit(f.xreplace(ray), t, end)
        assert limits.along(f, ray, t) is not None  # decided from the polynomial, not by sympy.limit
        assert limits.limit(f, ray, t, end) == expected
        assert limits.falls_without_bound(f, ray, t, end, 1.0) is (expected == -sympy.oo)
        assert limits.falls_without_bound(f, ray, t, end, -1.0) is (expected == sympy.oo)


def test_cancelling_leading_terms_leave_the_next_one():
    # Along x = y = t the t³ terms cancel and −2t² is what is left; along x = 1 + t, y = t, −3t² + ...
    f = x**3 - y**3 - 2 * x * y
    assert limits.along(f, {x: t, y: t}, t) == [0, 0, -2]
    assert limits.limit(f, {x: t, y: t}, t, sympy.oo) == -sympy.oo
    assert limits.along(f, {x: 1 + t, y: t}, t) == [1, 1, 1]
    assert limits.limit(f, {x: 1 + t, y: t}, t, -sympy.oo) == sympy.oo
    # Constant along the line: the limit is its value, exactly.
    assert limits.limit((x - y) ** 2 + x - y, {x: sympy.Rational(1, 3) + t, y: t}, t, sympy.oo) == (
        sympy.Rational(4, 9)
    )
    assert limits.limit(x - y, {x: t, y: t}, t, sympy.oo) == 0


@pytest.mark.parametrize(
    "f, expected",
    [
        (sympy.exp(-x) * x**2, 0),  # not a polynomial
        (sympy.pi * x**2 - x, sympy.oo),  # an irrational coefficient
        (sympy.Float(0.5) * x**3, sympy.oo),  # a float coefficient
        (x ** (limits.MAX_DEGREE + 1) - x, sympy.oo),  # past the degree worth expanding
        (x**2 * sympy.sin(x) ** 2 - x**2, None),  # no limit: sympy.limit's answer, whatever it is
    ],
)
def test_everything_else_is_left_to_sympy(f, expected):
    line = {x: 1 + 2 * t}
    assert limits.along(f, line, t) is None
    reference = sympy.limit(f.xreplace(line), t, sympy.oo)
    assert limits.limit(f, line, t, sympy.oo) == reference
    if expected is not None:
        assert reference == expected


# --- the verdicts -------------------------------------------------------------------------------

# (expression, starts, settings, variables, the verdicts' texts: None where the README shows a table)
VERDICTS = [
    (
        "x**2-4*x+5",
        ["0"],
        {"learning_rate": 0.1, "steps": 10, "tol": 0},
        [
            "not settled: ‖∇f‖ = 0.429 at the step limit; the nearest critical point, x = 2, is a minimum; "
            "try more --steps"
        ],
    ),
    (
        "x**2",
        ["10"],
        {"learning_rate": 1.0, "steps": 6},
        ["lr too large: lr=1 is not below 2/L = 1, so the steps overshoot; try --lr 0.5"],
    ),
    (
        "((100-w*50)**2+(200-w*100)**2+(300-w*150)**2)/3",
        ["w=0"],
        {"learning_rate": 1e-5},
        ["minimum (global: the lowest of 1 critical point)"],
    ),
    ("x**4-2*x**2+x/2", ["-1.5", "1.5"], {"learning_rate": 0.05}, None),
    (
        "x**2-y**2",
        ["1,0"],
        {},
        ["saddle point, not a minimum: f falls along (0, 1); a small push escapes it, e.g. --noise 0.01"],
    ),
    (
        "x**2-y**2",
        ["1,0"],
        {"noise": 0.01, "seed": 1, "steps": 50},
        ["unbounded: f falls without bound along the path, so there is no minimum to reach"],
    ),
    (
        "(sigmoid(w)-0.5)**2",
        ["w=10"],
        {},
        [
            "plateau: ‖∇f‖ = 4.5e-05 has faded far from any critical point "
            "(the nearest, w = 0, is a minimum); "
            "it comes from the flat tail of σ: σ′(u) = σ(u)(1 − σ(u)) = 4.5e-05 at u = 10"
        ],
    ),
    (
        "(1-x)**2+100*(y-x**2)**2",
        ["-1,1"],
        {"learning_rate": 0.001, "steps": 5000, "optimizers": "sgd,adam"},
        None,
    ),
    # Beyond the README: each decided by a limit along the path or along an axis.
    (
        "-x**2",
        ["1"],
        {},
        [
            "unbounded: f falls without bound along the path, so there is no minimum to reach; "
            "f has a maximum: was --maximize meant?"
        ],
    ),
    (
        "x**2",
        ["1"],
        {"maximize": True},
        [
            "unbounded: f rises without bound along the path, so there is no maximum to reach; "
            "f has a minimum: leave out --maximize to find it"
        ],
    ),
    (
        "x*y",
        ["1,2"],
        {},
        ["unbounded: f falls without bound along the path, so there is no minimum to reach"],
    ),
    ("x**3 - 3*x", ["0.5"], {"maximize": True}, ["maximum, local only: f rises without bound elsewhere"]),
    (
        "x**2 - 3*x**3",
        ["0.2"],
        {"learning_rate": 0.01, "steps": 1000},
        ["minimum, local only: f falls without bound elsewhere"],
    ),
    ("(x-y)**2 - x", ["1,1"], {}, ["not settled: ‖∇f‖ = 0.707 at the step limit; try more --steps"]),
]


def _verdicts(text, starts, options):
    plan = plan_descent(text, DescentSettings.read(**options), starts=starts)
    return [verdict.text for verdict in plan.judge(plan.run()).verdicts]


@pytest.mark.parametrize("text, starts, options, expected", VERDICTS)
def test_verdicts_are_what_sympy_limit_gives(monkeypatch, text, starts, options, expected):
    fast = _verdicts(text, starts, options)
    if expected is not None:
        assert fast == expected
    monkeypatch.setattr(limits, "along", lambda expr, line, t: None)  # every limit by sympy.limit
    assert _verdicts(text, starts, options) == fast


def test_the_hessian_and_gradient_are_worked_out_once(monkeypatch):
    worked_out, gradients, compiled = [], [], []
    original_hessian, original_gradient = calculus.symbolic.hessian, calculus.symbolic.gradient
    original_compile = calculus.compile.compile_function

    def counting_hessian(expr, variables):
        worked_out.append(expr)
        return original_hessian(expr, variables)

    def counting_gradient(expr, variables):
        gradients.append(expr)
        return original_gradient(expr, variables)

    def recording_compile(exprs, variables, backend="math"):
        compiled.append(exprs)
        return original_compile(exprs, variables, backend)

    monkeypatch.setattr(calculus.symbolic, "hessian", counting_hessian)
    monkeypatch.setattr(calculus, "hessian", counting_hessian)
    monkeypatch.setattr(calculus.symbolic, "gradient", counting_gradient)
    monkeypatch.setattr(calculus, "gradient", counting_gradient)
    monkeypatch.setattr(calculus.compile, "compile_function", recording_compile)
    monkeypatch.setattr(calculus, "compile_function", recording_compile)
    # Two starts (L at each), two verdicts, and the critical points (three, one the global minimum).
    plan = plan_descent("x**4-2*x**2+x/2", DescentSettings.read(learning_rate=0.05), starts=["-1.5", "1.5"])
    verdicts = plan.judge(plan.run()).verdicts
    assert [v.text for v in verdicts] == [
        "minimum (global: the lowest of 3 critical points)",
        "minimum, local only: f = -1.51475 at x = -1.05745 is lower",
    ]
    assert len(worked_out) == len(gradients) == 1
    assert sum(1 for exprs in compiled if exprs == plan.hessian.entries) == 1
    assert sum(1 for exprs in compiled if exprs == plan.gradient) == 1  # for the critical points' search


def test_critical_points_reuse_given_derivatives():
    function = read_expression("x**3 - 3*x + y**2")
    gradient = calculus.gradient(function.expr, function.variables)
    hessian = calculus.Hessian.of(function.expr, function.variables)
    given = critical_points_of(function, derivatives(function.expr, function.variables, gradient, hessian))
    alone = critical_points_of(function)
    assert given.gradient == alone.gradient == gradient
    assert [(p.numeric, p.classification.kind) for p in given.points] == [
        ((-1.0, 0.0), "saddle"),
        ((1.0, 0.0), "minimum"),
    ]
    assert [(p.numeric, p.classification.kind) for p in alone.points] == [
        (p.numeric, p.classification.kind) for p in given.points
    ]
