"""calculus.source, the SymEngine way of compiling large expressions, against lambdify.

The reference is the lambdify call compile_function makes for small expressions: the same values
(to a few ulps: sums and products are evaluated in SymEngine's order), the same NaNs and the same
exceptions, in the math and NumPy backends.
"""

import math
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from symgrad import calculus
from symgrad.calculus import grids, source
from symgrad.calculus.compile import LARGE, compile_function
from symgrad.calculus.float_functions import float_functions
from symgrad.calculus.source import Unsupported, engine_function
from symgrad.errors import MathError, SymgradError, TimeLimitError
from symgrad.expression.functions import cbrt, sigmoid
from symgrad.expression.reading import read_expression
from test_properties import BINARY, UNARY

# What callers catch (NameError: a function the backend lacks, such as zeta in math)
FAILURES = (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError)
X, Y = sympy.symbols("x y", real=True)


def lambdified(exprs, variables, backend="math"):
    modules = [float_functions(backend), backend]
    return sympy.lambdify([tuple(variables)], exprs, modules=modules, cse=True, dummify=True)


def outcome(function, point):
    """The value at ``point``, or the class of the exception raised there."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(point)
    except FAILURES as error:
        return type(error)


def assert_same(got, expected, where="", strict=True, nearby=()):
    """Values equal to 1e-12 (NaN as NaN, an int as an int), or failures of one class.

    Not ``strict``: any failure matches any failure, and values may differ by as much as lambdify's
    own values at the ``nearby`` points. Where several parts of an expression fail at one point
    (log(x) + 1/x at 0) which fails first depends on the order of the code, and every caller
    catches all of FAILURES alike; and where a function is ill-conditioned (sec(1/(x*y)**2) near
    one of its poles) the last bits of an argument, which depend on the grouping, show in the result.
    """
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected), where
        for index, (g, e) in enumerate(zip(got, expected)):
            around = [n[index] for n in nearby if isinstance(n, type(expected)) and len(n) == len(expected)]
            assert_same(g, e, where, strict, around)
    elif isinstance(expected, type) or isinstance(got, type):
        if strict:
            assert got is expected, (where, got, expected)
        else:
            assert isinstance(got, type) and isinstance(expected, type), (where, got, expected)
    else:
        if strict and not isinstance(expected, (np.ndarray, np.generic)):
            assert type(got) is type(expected), (where, got, expected)  # an int stays an int
        assert close(got, expected, [n for n in nearby if not isinstance(n, type)]), (where, got, expected)


def close(got, expected, nearby) -> bool:
    """Equal to 1e-12 (relative), to the spread of ``nearby`` values, or both NaN or the same inf."""
    got, expected = np.asarray(got, dtype=complex), np.asarray(expected, dtype=complex)
    spread = np.zeros(expected.shape)
    for value in nearby:
        with np.errstate(invalid="ignore"):
            gap = np.abs(expected - np.asarray(value, dtype=complex))
        spread = np.maximum(spread, np.where(np.isnan(gap), 0.0, gap))
    with np.errstate(invalid="ignore"):
        near = np.abs(got - expected) <= 1e-12 * np.maximum(1.0, np.abs(expected)) + 4 * spread
    return bool(np.all(near | (got == expected) | (np.isnan(got) & np.isnan(expected))))


def assert_agree(exprs, variables, points, backend="math", strict=True):
    try:
        ours = engine_function(exprs, variables, backend)
    except Unsupported:  # zoo, say: compile_function gives it to lambdify
        assert not strict, exprs
        return
    try:
        theirs = lambdified(exprs, variables, backend)
    except Exception:  # SymPy's printer fails on max(acosh(max(x, 1/2)), 1/2): nothing to compare with
        assert not strict, exprs
        return
    for point in points:
        nearby = [] if strict else [outcome(theirs, _moved(point, d)) for d in (1e-13, -1e-13)]
        assert_same(outcome(ours, point), outcome(theirs, point), f"{exprs} at {point}", strict, nearby)


def _moved(point, fraction):
    """``point`` with every coordinate moved by ``fraction`` of itself (a few ulps for 1e-13)."""
    return tuple(v * (1 + fraction) for v in point)


POINTS = [(a, b) for a in (-2.5, -1.0, 0.0, 0.3, 1.0, 2.7) for b in (-1.5, 0.0, 0.5, 2.0)]

# Functions with kinks, poles, domains and float helpers, beside the smooth ones of test_properties.
ROUGH = [
    "abs({})",
    "sign({})",
    "max({}, 0.5)",
    "min({}, -0.5)",
    "relu({})",
    "floor({})",
    "ceiling({})",
    "sqrt({})",
    "log({})",
    "1/({})",
    "({})^(-2)",
    "({})^(1/3)",
    "cbrt({})",
    "erf({})",
    "gamma({})",
    "asin({})",
    "acosh({})",
    "sec({})",
    "acot({})",
    "exp(5*({}))",
    "Heaviside({})",
    "atan2({}, 1 - x)",
]


def rough_expressions(variables):
    leaves = st.sampled_from(list(variables) + ["1", "2", "0.5", "pi"])

    def extend(children):
        unary = st.builds(lambda f, a: f.format(a), st.sampled_from(UNARY + ROUGH), children)
        binary = st.builds(lambda f, a, b: f.format(a, b), st.sampled_from(BINARY), children, children)
        return unary | binary

    return st.recursive(leaves, extend, max_leaves=6)


def read_with_gradient(text, *, no_delta=False):
    """f, rebuilt as SymPy builds it, and ∇f; with ``no_delta`` DiracDelta is replaced by 0, as grids do.

    The parser may leave a product unevaluated (-1*2*x*y for -(2(x*y))); lambdify's cse rebuilds it
    and may cancel what it then sees (b**(2xy - 3)/b**(2xy - 3) becomes 1), where SymEngine keeps
    the two powers apart. Both get the rebuilt f.
    """
    try:
        function = read_expression(text, "x,y")
        expr = rebuilt(function.expr)
        gradient = tuple(calculus.gradient(expr, function.variables))
        if no_delta:
            gradient = tuple(e.replace(sympy.DiracDelta, lambda *a: sympy.Integer(0)) for e in gradient)
        return expr, function.variables, gradient
    # gamma(x - x) is undefined as written; SymPy refuses Heaviside(asin(2)/x)
    except (SymgradError, ValueError):
        reject()


def rebuilt(expr):
    return expr.func(*map(rebuilt, expr.args)) if expr.args else expr


# --- values, NaNs and exceptions as lambdify's -------------------------------------------------


# Not tiny: at 1e-52, sin(1/(x*y)) depends on the last bit of x*y, and x**3*y**3 underflows where
# the product of 1/x**3 and 1/y**3 (cse shares each) overflows; the order of products decides.
COORDINATES = st.just(0.0) | st.floats(1e-3, 3) | st.floats(-3, -1e-3)


@settings(max_examples=60, deadline=None)
@given(rough_expressions(["x", "y"]), COORDINATES, COORDINATES)
def test_a_function_and_its_gradient_agree_with_lambdify(text, a, b):
    expr, variables, gradient = read_with_gradient(text)
    assert_agree((expr, gradient), variables, [*POINTS, (a, b)], strict=False)


@settings(max_examples=25, deadline=None)
@given(rough_expressions(["x", "y"]))
def test_numpy_grids_agree_with_lambdify(text):
    # DiracDelta has no NumPy form that lambdify prints either; grids replace it by 0 first
    expr, variables, gradient = read_with_gradient(text, no_delta=True)
    xs, ys = np.meshgrid(np.linspace(-3, 3, 13), np.linspace(-2, 2, 9))
    assert_agree((expr, *gradient), variables, [(xs, ys)], backend="numpy", strict=False)


EDGES = [
    (1 / X, 0.0, ZeroDivisionError),
    (X**-2, 0.0, ZeroDivisionError),
    (Y / X**2, 1e-200, ZeroDivisionError),  # x² underflows to 0
    ((Y / X**2, (Y + 1) / X**2), 1e-200, OverflowError),  # x**(-2), shared, overflows
    (sympy.sqrt(X), -1.0, ValueError),
    (1 / sympy.sqrt(X), -1.0, ValueError),
    (sympy.log(X), 0.0, ValueError),
    (sympy.exp(X), 1000.0, OverflowError),
    (X**3, 1e200, OverflowError),
    (sympy.acosh(X), 0.5, ValueError),
    (sympy.gamma(X), 0.0, ValueError),
    (sympy.Max(X ** sympy.Rational(1, 3), 1), -8.0, TypeError),  # a complex root, compared
    (sympy.Integer(10) ** 400 * X, 1.0, OverflowError),
]


@pytest.mark.parametrize(("expr", "at", "error"), EDGES, ids=[str(e[0]) for e in EDGES])
def test_failures_are_lambdify_s(expr, at, error):
    point = (at, 2.0)
    assert outcome(lambdified(expr, [X, Y]), point) is error
    assert outcome(engine_function(expr, [X, Y]), point) is error


@pytest.mark.parametrize(
    "expr",
    [
        X ** sympy.Rational(1, 3),  # the principal root: complex for x < 0, in both
        X**0.5,
        sympy.sign(X) + sympy.Heaviside(X) + sympy.Heaviside(X, 0),
        sympy.DiracDelta(X) + sympy.DiracDelta(X, 1) + sympy.polygamma(1, X),
        cbrt(X) + sigmoid(X) + sympy.erf(X) + sympy.zeta(X + 2),
        sympy.Max(X, Y, 0) - sympy.Min(X, Y),  # with no NaN (see below)
        sympy.floor(X) + sympy.ceiling(Y),
        sympy.sec(X) + sympy.csc(X) + sympy.cot(X) + sympy.asec(X) + sympy.acsc(X) + sympy.acot(X),
        # printed as 1/cos(x) and atan(1/(1/x)) = atan(x), as SymPy's printer rewrites them
        Y / sympy.sec(X) + sympy.acot(1 / X) + sympy.coth(Y),
        sympy.pi * X + sympy.E + sympy.EulerGamma * Y + sympy.exp(2) * X,
        sympy.Rational(2, 3) * X - sympy.Rational(5, 7) / (X * Y) + sympy.Float("0.1") * Y,
        sympy.log(X, 2) + sympy.atan2(X, Y) + 2**X + sympy.Rational(1, 2) ** Y + X**Y,
        -X * Y / (X + Y) ** 2 - 1 / (X * Y) ** sympy.Rational(3, 2),
    ],
)
@pytest.mark.parametrize("backend", ["math", "numpy"])
def test_each_kind_of_node_agrees_with_lambdify(expr, backend):
    if backend == "numpy" and expr.has(sympy.DiracDelta, sympy.zeta):
        pytest.skip("lambdify prints these for NumPy as calls to functions NumPy lacks")
    points = POINTS + [(-8.0, 3.0), (1e-200, 1e200), (math.inf, -math.inf)]
    if not expr.has(sympy.Max, sympy.Min):
        # lambdify orders max's arguments by its dummies' numbering, so max(nan, 1) or max(1, nan)
        points.append((math.nan, 1.0))
    if backend == "numpy":
        points = [(np.array([p[0] for p in points]), np.array([p[1] for p in points]))]
    assert_agree(expr, [X, Y], points, backend)


def test_integers_stay_integers_and_constants_need_no_variables():
    f = engine_function((sympy.Integer(0), (sympy.Integer(2), sympy.Rational(1, 2))), [])
    assert f(()) == (0, (2, 0.5))
    assert type(f(())[0]) is int
    # grids spread a constant over the grid, as they do for lambdify's plain number
    xs = np.linspace(-1, 1, 5)
    big = sum(sympy.sin(k * X) for k in range(1, 80))
    wave, flat = grids.sample([big, sympy.Integer(3)], [X], [xs])
    assert flat.tolist() == [3.0] * 5
    np.testing.assert_allclose(wave, lambdified(big, [X], "numpy")((xs,)), rtol=1e-12, atol=1e-12)


def test_outputs_keep_their_nesting():
    f = engine_function(((X, (Y,)), [X * Y, ()], (X + Y,)), [X, Y])
    assert f((2.0, 3.0)) == ((2.0, (3.0,)), [6.0, ()], (5.0,))
    assert engine_function(X * Y, [X, Y])((2.0, 3.0)) == 6.0
    assert engine_function([X, Y], [X, Y])((2.0, 3.0)) == [2.0, 3.0]
    assert engine_function((X, 2, 0.5), [X])((1.0,)) == (1.0, 2, 0.5)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ("math", "exp"),
        ("x_1", "x1"),
        ("_a0", "_a1"),
        ("_t0", "_p0"),
        ("_k0", "_point"),
        ("copysign", "pi"),
        ("x", "ｘ"),  # one name in Python source (NFKC), two variables here
        ("λ", "__builtins__"),
    ],
)
def test_no_variable_name_can_meet_another_or_the_namespace(names):
    a, b = sympy.Symbol(names[0], real=True), sympy.Symbol(names[1], real=True)
    exprs = (sympy.exp(a) * sympy.sign(b) + sympy.Abs(a) + b**2, a - b)
    f = engine_function(exprs, [a, b])
    assert f((1.0, -2.0)) == (-math.e + 1.0 + 4.0, 3.0)


def test_the_compiled_code_sees_only_what_it_needs():
    f = engine_function(sympy.sign(X) + sympy.Abs(Y) + sympy.sqrt(X), [X, Y])
    assert f.__globals__["__builtins__"] == {}
    assert set(f.__globals__) == {"__builtins__", "_compiled", "abs", "copysign", "sqrt"}


# --- what it leaves to lambdify ------------------------------------------------------------------


@pytest.mark.parametrize(
    "exprs",
    [
        sympy.Piecewise((X, X > 0), (Y, True)),
        X + sympy.Symbol("a"),  # a symbol that is not a variable
        sympy.Derivative(sympy.Function("f")(X), X),
        sympy.Matrix([X, Y]),
        "x",
    ],
    ids=["piecewise", "free symbol", "derivative", "matrix", "text"],
)
def test_what_it_does_not_print_is_refused(exprs):
    with pytest.raises(Unsupported):
        engine_function(exprs, [X, Y])


def test_large_expressions_take_the_engine_and_small_ones_lambdify():
    small = X**2 + Y
    large = sum(sympy.sin(k * X) * Y**k for k in range(1, 40))
    assert source.node_count(small, LARGE) <= LARGE < source.node_count(large, LARGE)
    assert compile_function(small, [X, Y]).__name__ == "_lambdifygenerated"
    assert compile_function(large, [X, Y]).__name__ == "_compiled"
    # a large Piecewise is left to lambdify
    piecewise = sympy.Piecewise((large, X > 0), (Y, True))
    f = compile_function(piecewise, [X, Y])
    assert f.__name__ == "_lambdifygenerated"
    assert f((-1.0, 2.0)) == 2.0


def test_compile_errors_are_math_errors_and_the_time_limit_passes_through(monkeypatch):
    large = sum(sympy.sin(k * X) for k in range(1, 80))
    with pytest.raises(MathError, match="cannot compile"):
        compile_function(large + sympy.Integral(X, X), [X])

    def expired(*args):
        raise TimeLimitError("gave up")

    monkeypatch.setattr(source, "engine_function", expired)
    with pytest.raises(TimeLimitError):
        compile_function(large, [X])


def test_long_sums_and_deep_nests_are_split_into_lines():
    # 3,000 terms in a row are more than Python's compiler takes in one expression (lambdify's code
    # fails so, after minutes of printing); 60 nested sec are 120 brackets deep
    xs = sympy.symbols("x1:3001", real=True)
    f = engine_function(sympy.Add(*(k * x for k, x in enumerate(xs, 1))), xs)
    assert f(tuple(1 / k for k in range(1, 3001))) == pytest.approx(3000.0, rel=1e-12)
    nested, value = X, 0.5
    for _ in range(60):
        nested, value = sympy.sec(nested / 4), 1 / math.cos(value / 4)
    f = engine_function(nested, [X])
    assert f.source.count("\n") > 3
    assert f((0.5,)) == pytest.approx(value, rel=1e-12)
    assert_agree(nested, [X], [(0.5,), (-3.0,)])


# --- the command that needed it ------------------------------------------------------------------


def neural_net_loss() -> tuple[str, str, str]:
    """3 tanh units, a sigmoid output, 4 samples (XOR), 13 parameters: the squared-error loss."""
    samples = [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)]
    names = [f"w{j}{k}" for j in (1, 2, 3) for k in (1, 2)] + ["b1", "b2", "b3", "v1", "v2", "v3", "c"]
    terms = []
    for (x1, x2), y in samples:
        hidden = "+".join(f"v{j}*tanh(w{j}1*{x1}+w{j}2*{x2}+b{j})" for j in (1, 2, 3))
        terms.append(f"(1/(1+exp(-({hidden}+c)))-{y})**2")
    start = ",".join(f"{(-1) ** k * k / 10}" for k in range(1, len(names) + 1))
    return "+".join(terms), ",".join(names), start


def test_the_neural_net_gradient_agrees_with_lambdify():
    text, names, start = neural_net_loss()
    function = read_expression(text, names)
    exprs = (function.expr, tuple(calculus.gradient(function.expr, function.variables)))
    point = tuple(float(v) for v in start.split(","))
    assert_agree(exprs, function.variables, [point, tuple(-v for v in point), (0.0,) * 13])


def test_descend_on_a_neural_net_loss_finishes(cli):
    text, names, start = neural_net_loss()
    options = ["--vars", names, "--start", start, "--steps", "50", "--summary", "--timeout", "0"]
    run = cli("descend", text, *options)
    assert run.code == 0, run.stderr
    assert "reached the step limit of 50" in run.stdout
    # the value lambdify's compiled gradient gives after the same 50 steps
    assert "f = 0.926642920094" in run.stdout
