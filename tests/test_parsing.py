"""The parser: what it accepts, what it refuses, and that refused input never runs."""

import pytest
import sympy

from symgrad.errors import InputError, ParseError
from symgrad.expression.functions import real_cbrt, sigmoid
from symgrad.expression.parse import parse_expression
from symgrad.expression.printing import to_text

x, y, w_1, theta0, xy, lr = (sympy.Symbol(n, real=True) for n in "x y w_1 theta0 xy lr".split())
alpha = sympy.Symbol("alpha", real=True)
theta = sympy.Symbol("θ", real=True)

ACCEPTED = [
    ("lambda*w**2", sympy.Symbol("lambda", real=True) * sympy.Symbol("w", real=True) ** 2),
    ("3*x**3-5*x**2+2", 3 * x**3 - 5 * x**2 + 2),
    ("x^2", x**2),
    ("2x", 2 * x),
    ("3(x+1)", 3 * (x + 1)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("sin(x)^2", sympy.sin(x) ** 2),
    ("x²", x**2),
    ("x⁻¹", 1 / x),
    ("√x", sympy.sqrt(x)),
    ("√(x+1)", sympy.sqrt(x + 1)),
    ("2√x", 2 * sympy.sqrt(x)),
    ("π", sympy.pi),
    ("2·x − 1", 2 * x - 1),
    ("-x**2+3*x", -(x**2) + 3 * x),
    ("2 x y", 2 * x * y),
    ("xy", xy),
    ("theta0 + w_1*alpha + lr", theta0 + w_1 * alpha + lr),
    ("θ^2", theta**2),
    ("e^x", sympy.exp(x)),
    ("E**x", sympy.exp(x)),
    ("2e", 2 * sympy.E),
    ("1e-3*x", x / 1000),
    ("0.1*x", x / 10),
    ("1.5e2", sympy.Integer(150)),
    (".5", sympy.Rational(1, 2)),
    ("log(x)", sympy.log(x)),
    ("ln(x)", sympy.log(x)),
    ("log(x, 2)", sympy.log(x) / sympy.log(2)),
    ("atan2(y, x)", sympy.atan2(y, x)),
    ("abs(x)", sympy.Abs(x)),
    ("max(x, y, 1)", sympy.Max(x, y, 1)),
    ("min(x, 0)", sympy.Min(x, 0)),
    ("sigmoid(x)", sigmoid(x)),
    ("relu(x)", sympy.Max(0, x)),
    ("softplus(x)", sympy.log(1 + sympy.exp(x))),
    ("cbrt(x)", real_cbrt()(x)),
    ("floor(x) + ceiling(x)", sympy.floor(x) + sympy.ceiling(x)),
    ("erf(x) + gamma(x) + sign(x)", sympy.erf(x) + sympy.gamma(x) + sympy.sign(x)),
    ("sec(x)+csc(x)+cot(x)", sympy.sec(x) + sympy.csc(x) + sympy.cot(x)),
    ("asinh(x)+acosh(x)+atanh(x)", sympy.asinh(x) + sympy.acosh(x) + sympy.atanh(x)),
    ("2**10", sympy.Integer(1024)),
    ("x**1000", x**1000),
    ("+".join(["x"] * 1500), 1500 * x),  # a long sum is not "too deep"
]

REFUSED = [
    ("", "empty"),
    ("x and y", "'and' is a reserved word of Python, not an operator or a variable here"),
    ("1_000*x", "write numbers without '_' (1000, not 1_000)"),
    ("x if y else z", "'if' is a reserved word"),
    ("None + x", "'None' is a reserved word"),
    ("yield", "'yield' is a reserved word"),
    ("x(1+2)", "unknown function 'x': write x*(...) for a product"),
    ("Symbol.__new__.__globals__", "attribute access is not allowed"),
    ("().__class__.__bases__[0].__subclasses__()", "unexpected character"),
    ("__import__('os').system('echo hacked')", "quotes"),
    ("exec('1')", "quotes"),
    ("lambda: 1", "unexpected character ':'"),
    ("x**(10**10**10)", "exponent is too large"),
    ("9**9**9**9", "exponent is too large"),
    ("factorial(10**100)", "unknown function 'factorial'"),
    ("1" * 1001, "too large"),
    ("1e5000", "too large"),
    ("x" * 20_001, "too long"),
    ("(" * 150 + "x" + ")" * 150, "nested too deeply"),
    ("-" * 300 + "x", "nested too deeply"),
    ("x" + "**x" * 150, "nested too deeply"),
    ("sin x", "needs parentheses"),
    ("sin", "needs parentheses"),
    ("(x", "never closed"),
    ("x)", "unmatched ')'"),
    ("x+", "ends too early"),
    ("*x", "expected a number"),
    ("1,2", "separates function arguments"),
    ("sin()", "needs an argument"),
    ("atan2(x)", "takes 2 arguments"),
    ("max(x)", "at least 2"),
    ("x == 1", "no '='"),
    ("[x]", "use ( )"),
    ("2 3", "two numbers in a row"),
    ("x @ y", "unexpected character '@'"),
    ("k(x)", "unknown function 'k'"),
    ("f(x) + f", "unknown function 'f'"),  # f is a variable here, so f(x) is not a function
    ("√", "√ must be followed"),
    ("x ∈ y", "unexpected character '∈'"),
]


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[t[:40] for t, _ in ACCEPTED])
def test_accepted(text, expected):
    assert parse_expression(text) == expected


@pytest.mark.parametrize("text, message", REFUSED, ids=[t[:40] for t, _ in REFUSED])
def test_refused_with_a_clear_message(text, message):
    with pytest.raises(ParseError) as caught:
        parse_expression(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("text, message", REFUSED, ids=[t[:40] for t, _ in REFUSED])
def test_refused_input_exits_2_with_one_error_and_no_traceback(cli, text, message):
    result = cli("diff", "--", text) if text else cli("diff", "")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3  # the error line, then the text and a caret


def test_payloads_do_not_run(tmp_path, cli):
    marker = tmp_path / "ran"
    for payload in (
        f"__import__('os').system('touch {marker}')",
        f"Symbol.__new__.__globals__['os'].system('touch {marker}')",
        f"eval(\"__import__('os').system('touch {marker}')\")",
    ):
        assert cli("diff", payload).code == 2
    assert not marker.exists()


def test_the_error_shows_where():
    with pytest.raises(ParseError) as caught:
        parse_expression("x + (y * 2")
    assert caught.value.caret_lines() == ["  x + (y * 2", "      ^"]


def test_caret_in_cli_output(cli):
    result = cli("diff", "3*x + y)")
    assert result.stderr.splitlines() == [
        "Error: unmatched ')': remove it or add '(' before",
        "  3*x + y)",
        "         ^",
    ]


def test_printed_results_parse_back():
    text = "Abs(x) + Max(0, x) + Heaviside(x) + polygamma(0, x) + DiracDelta(x) + sqrt(2)*E**x"
    expr = parse_expression(text)
    assert parse_expression(sympy.sstr(expr)) == expr


def test_values_symgrad_prints_for_gamma_read_back():
    # d/dx gamma(x) at 1 is -EulerGamma; polygamma(2, 1) = -2*zeta(3).
    assert parse_expression("-EulerGamma") == -sympy.EulerGamma
    assert parse_expression("-2*zeta(3)") == -2 * sympy.zeta(3)


def test_polygamma_needs_a_whole_order():
    # Its derivative rule d/dx polygamma(n, x) = polygamma(n+1, x) holds only for whole n >= 0.
    with pytest.raises(InputError, match="polygamma\\(n, x\\) takes a whole number n >= 0"):
        parse_expression("polygamma(1/2, x)")


@pytest.mark.parametrize(
    "make",
    [
        lambda x, b: x / b,
        lambda x, b: b * x,
        lambda x, b: b**x,
        lambda x, b: (x + b) ** 2,
        lambda x, b: sympy.Rational(10**42 + 1, b),
        lambda x, b: -b * x,
        lambda x, b: (1 / b) ** x,
    ],
)
@pytest.mark.parametrize("big", [5 * 10**41, 10**50, 2 * 10**308])
def test_shortened_numbers_read_back_in_every_position(make, big):
    # 5e41 is one token: x/5e41 is x/(5*10**41), never (x/5)*10**41.
    expr = make(x, sympy.Integer(big))
    text = to_text(expr)
    assert "e" in text.replace("exp", "")
    assert parse_expression(text) == expr
