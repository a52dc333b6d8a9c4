"""diff --explain and grad --explain: rule names, the chain rule's inner function, and results that
equal what diff and grad print (checked on many expressions, and against finite differences)."""

import math

import mpmath
import pytest
import sympy

from symgrad.analysis.explain import derivation
from symgrad.expression.parse import parse_expression

X = sympy.Symbol("x", real=True)

# expression, the rule at the root, a point inside the domain
CASES = [
    ("7", "constant", 0.5),
    ("x", "variable", 0.5),
    ("x**5", "power", 1.3),
    ("sqrt(x)", "power", 2.0),
    ("1/x", "power", 0.7),
    ("cbrt(x)", "power", 2.0),
    ("3*x**3-5*x**2+2", "sum", 1.5),
    ("x - sin(x)", "sum", 0.4),
    ("4*sin(x)", "constant multiple", 0.3),
    ("-x**2", "constant multiple", 0.3),
    ("log(x, 2)", "constant multiple", 3.0),
    ("x*exp(x)", "product", 0.5),
    ("x**2*sin(x)*log(x)", "product", 1.7),
    ("(x+1)/(x-1)", "quotient", 3.0),
    ("sin(x)/x", "quotient", 0.8),
    ("x/(x**2+1)**2", "quotient", 0.6),
    ("sin(x**2)", "chain", 0.9),
    ("(3*x+1)**4", "chain", 0.2),
    ("exp(-x**2/2)", "chain", 0.6),
    ("sigmoid(x)", "sigmoid", 0.3),
    ("sigmoid(2*x + 1)", "chain", 0.3),
    ("softplus(x)", "chain", -0.4),
    ("log(cos(x))", "chain", 0.5),
    ("exp(x)", "exponential", 0.5),
    ("2**x", "exponential", 1.5),
    ("log(x)", "logarithm", 2.5),
    ("sin(x)", "trigonometric", 0.5),
    ("cos(x)", "trigonometric", 0.5),
    ("tan(x)", "trigonometric", 0.5),
    ("sec(x)", "trigonometric", 0.5),
    ("csc(x)", "trigonometric", 0.5),
    ("cot(x)", "trigonometric", 0.5),
    ("asin(x)", "inverse trigonometric", 0.5),
    ("acos(x)", "inverse trigonometric", 0.5),
    ("atan(x)", "inverse trigonometric", 2.0),
    ("acot(x)", "inverse trigonometric", 2.0),
    ("asec(x)", "inverse trigonometric", 2.0),
    ("acsc(x)", "inverse trigonometric", -2.0),
    ("sinh(x)", "hyperbolic", 0.5),
    ("cosh(x)", "hyperbolic", 0.5),
    ("tanh(x)", "hyperbolic", 0.5),
    ("asinh(x)", "inverse hyperbolic", 0.5),
    ("acosh(x)", "inverse hyperbolic", 2.0),
    ("atanh(x)", "inverse hyperbolic", 0.5),
    ("x**x", "general power", 1.5),
    ("x**sin(x)", "general power", 1.2),
    ("abs(x)", "absolute value", -0.7),
    ("abs(x**2-2)", "chain", 0.4),
    ("relu(x)", "piecewise", 0.7),
    ("relu(x**2-1)", "piecewise", 1.5),
    ("max(x, x**2)", "piecewise", 1.5),
    ("min(x, 1-x)", "piecewise", 0.2),
    ("erf(x)", "known result", 0.4),
    ("gamma(x)", "known result", 2.5),
    ("erf(x**2)", "chain", 0.4),
]


def _finite_difference(text: str, at: float) -> float:
    f = sympy.lambdify(X, parse_expression(text), modules="mpmath")
    with mpmath.workdps(30):  # not mp.dps = 30, which would change precision for every later test
        return float(mpmath.diff(lambda t: f(t), mpmath.mpf(at)))


def _value(text: str, at: float) -> float:
    return float(parse_expression(text).subs(X, at).evalf(30))


@pytest.mark.parametrize(("text", "rule", "at"), CASES, ids=[c[0] for c in CASES])
def test_derivation_ends_with_what_diff_prints(cli, text, rule, at):
    explained = cli("diff", text, "--wrt", "x", "--explain", "-f", "json")
    assert explained.code == 0, explained.stderr
    tree = explained.json()
    plain = cli("diff", text, "--wrt", "x", "-f", "json").json()
    assert tree["rule"] == rule
    assert tree["derivative"] == plain["derivative"]
    assert tree["expression"] == plain["expression"]
    # An independent check of the result: a numerical derivative of the original expression.
    assert _value(tree["derivative"], at) == pytest.approx(_finite_difference(text, at), rel=1e-9, abs=1e-12)


def test_every_rule_is_covered():
    rules = {rule for _, rule, _ in CASES}
    assert rules == {
        "constant",
        "variable",
        "power",
        "sum",
        "constant multiple",
        "product",
        "quotient",
        "chain",
        "exponential",
        "logarithm",
        "trigonometric",
        "inverse trigonometric",
        "hyperbolic",
        "inverse hyperbolic",
        "general power",
        "absolute value",
        "piecewise",
        "known result",
        "sigmoid",
    }


def _walk(step):
    yield step
    for sub in step["substeps"]:
        yield from _walk(sub)


@pytest.mark.parametrize(("text", "rule", "at"), CASES, ids=[c[0] for c in CASES])
def test_every_step_is_a_true_derivative(cli, text, rule, at):
    """Each step's derivative equals SymPy's derivative of the step's expression, by its variable."""
    for step in _walk(cli("diff", text, "--wrt", "x", "--explain", "-f", "json").json()):
        variable = sympy.Symbol(step["variable"], real=True)
        expr = parse_expression(step["expression"]).subs(sympy.Symbol(step["variable"]), variable)
        claimed = parse_expression(step["derivative"]).subs(sympy.Symbol(step["variable"]), variable)
        point = {s: at for s in expr.free_symbols | claimed.free_symbols}
        want = complex(sympy.diff(expr, variable).subs(point).evalf(20))
        got = complex(claimed.subs(point).evalf(20))
        if math.isfinite(abs(want)) and abs(want.imag) < 1e-12:
            assert got.real == pytest.approx(want.real, rel=1e-9, abs=1e-12), step


def test_chain_rule_names_the_inner_function(cli):
    result = cli("diff", "sin(x**2)", "--explain")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "chain rule: d/dx sin(x²) = 2x·cos(x²)"
    assert lines[1] == "let u = x²; d/dx sin(u) = cos(u)·du/dx"
    assert "trigonometric rule: d/du sin(u) = cos(u)" in result.stdout
    assert "power rule: d/dx x² = 2x" in result.stdout
    assert lines[-1] == "derivative  d/dx = 2x·cos(x²)"


@pytest.mark.parametrize(
    ("text", "name", "result"),
    [
        ("x*exp(x)", "product rule", "(x + 1)·eˣ"),
        ("(x+1)/(x-1)", "quotient rule", "−2/(x − 1)²"),
        ("x**5", "power rule", "5x⁴"),
        ("3*x**3-5*x**2+2", "sum rule", "9x² − 10x"),
    ],
)
def test_classic_rules_by_name(cli, text, name, result):
    out = cli("diff", text, "--explain").stdout.splitlines()
    assert out[0].startswith(f"{name}: d/dx ")
    assert out[-1] == f"derivative  d/dx = {result}"
    plain = cli("diff", text).stdout.splitlines()
    assert out[-1] == plain[-1]


def test_inner_function_of_chain_in_json(cli):
    tree = cli("diff", "sin(x**2)", "--explain", "-f", "json").json()
    assert tree["inner"] == "x**2"
    assert [s["rule"] for s in tree["substeps"]] == ["trigonometric", "power"]
    assert tree["substeps"][0] == {
        "rule": "trigonometric",
        "name": "trigonometric rule",
        "variable": "u",
        "expression": "sin(u)",
        "derivative": "cos(u)",
        "substeps": [],
    }


def test_fresh_name_when_u_is_a_variable(cli):
    tree = cli("diff", "sin(u**2)", "--explain", "-f", "json").json()
    assert tree["substeps"][0]["variable"] == "v"
    assert tree["note"] == "let v = u**2; d/du sin(v) = cos(v)·dv/du"


def test_unknown_function_falls_back_to_known_result(cli):
    out = cli("diff", "x*erf(x)", "--explain").stdout
    assert "derivative of erf (known result): d/dx erf(x) = 2·exp(−x²)/√π" in out


def test_gradient_one_derivation_per_variable(cli):
    data = cli("grad", "x**2*y + sin(x*y)", "--explain", "-f", "json").json()
    plain = cli("grad", "x**2*y + sin(x*y)", "-f", "json").json()
    assert [d["variable"] for d in data] == ["x", "y"]
    assert [d["held_constant"] for d in data] == [["y"], ["x"]]
    assert [d["derivative"] for d in data] == plain["gradient"]
    assert all(d["rule"] == "sum" for d in data)
    text = cli("grad", "x**2*y + sin(x*y)", "--explain").stdout
    assert "∂f/∂x (y held constant)" in text and "∂f/∂y (x held constant)" in text
    assert "let u = x·y; ∂/∂x sin(u) = cos(u)·∂u/∂x" in text


def test_explain_keeps_the_points(cli):
    out = cli("diff", "x**2", "--explain", "--at", "x=3").stdout
    assert "power rule: d/dx x² = 2x" in out
    assert out.splitlines()[-1].split() == ["x=3", "6", "6"]


@pytest.mark.parametrize("args", [("--format", "latex"), ("--order", "2")])
def test_explain_refuses_what_it_cannot_show(cli, args):
    result = cli("diff", "x**3", "--explain", *args)
    assert result.code == 2
    assert result.stderr.startswith("Error: --explain")


def test_core_steps_are_sympy_objects():
    step = derivation(X**2 * sympy.exp(X), X)
    assert step.rule == "product"
    assert [s.rule for s in step.substeps] == ["power", "exponential"]
    assert sympy.simplify(step.derivative - (X**2 + 2 * X) * sympy.exp(X)) == 0


def test_gradient_line_survives_rich_markup(cli):
    """A gradient such as [y, x] looks like a Rich markup tag; it must still be printed."""
    out = cli("grad", "x**2*y + sin(x*y)", "--explain").stdout
    assert "gradient    ∇f = [y·(2x + cos(x·y)), x·(x + cos(x·y))]" in out


def test_explains_what_was_typed_then_tidies_up(cli):
    out = cli("diff", "5*(20 - 2*x)", "--explain").stdout.splitlines()
    assert out[0] == "constant multiple rule: d/dx 5·(20 − 2x) = −10"
    data = cli("diff", "5*(20 - 2*x)", "--explain", "-f", "json").json()
    assert data["expression"] == "5*(20 - 2*x)" and data["derivative"] == "-10"


def test_product_rule_fills_in_its_pieces(cli):
    out = cli("diff", "x*exp(x)", "--explain").stdout.splitlines()
    assert out[0] == "product rule: d/dx x·eˣ = x·eˣ + eˣ"
    assert out[1] == "(uv)′ = u′v + uv′ with u = x, v = eˣ: 1·eˣ + x·eˣ"
    assert "tidy up: x·eˣ + eˣ = (x + 1)·eˣ" in out
    data = cli("diff", "x*exp(x)", "--explain", "-f", "json").json()
    assert data["untidied"] == "x*exp(x) + exp(x)" and data["derivative"] == "(x + 1)*exp(x)"


def test_quotient_rule_fills_in_its_pieces(cli):
    out = cli("diff", "sin(x)/x", "--explain").stdout.splitlines()
    assert out[1] == "(u/v)′ = (u′v − uv′)/v² with u = sin(x), v = x: (cos(x)·x − sin(x)·1)/x²"
    assert "tidy up: (x·cos(x) − sin(x))/x² = cos(x)/x − sin(x)/x²" in out


def test_sigmoid_rule(cli):
    out = cli("diff", "sigmoid(x)", "--explain").stdout.splitlines()
    assert out[0] == "sigmoid rule: d/dx σ(x) = σ(x)·(1 − σ(x))"
