"""Textbook notation, constants and definitions (--let), readable maths, and JSON that reads back."""

import pytest
import sympy

from symgrad.expression.parse import parse_expression
from symgrad.expression.printing import to_text
from symgrad.expression.readable import readable
from symgrad.expression.reading import read_expression

X, Y, T = (sympy.Symbol(n, real=True) for n in ("x", "y", "T"))


def value_line(out: str) -> str:
    """The exact value of the first row of a diff table."""
    return out.strip().splitlines()[-1].split()[1]


# --- the examples ------------------------------------------------------------------------


def test_a_derivative_that_does_not_use_a_symbol_needs_no_value_for_it(cli):
    r = cli("diff", "-0.01T^2 - 0.5t^2 + 3T + 10t", "--wrt", "T", "--at", "T=150")
    assert r.code == 0, r.stderr
    assert "∂/∂T = 3 − T/50" in r.stdout
    assert value_line(r.stdout) == "0"


def test_y_equals_names_the_function(cli):
    r = cli("diff", "y = 3x^3 - 5x^2 + 2", "--at", "x=2")
    assert r.code == 0, r.stderr
    assert value_line(r.stdout) == "16"


def test_a_point_in_parentheses_or_brackets(cli):
    for point in ("(1, 2)", "[1, 2]"):
        data = cli("grad", "x² + 4y²", "--at", point, "-f", "json").json()
        assert data["value"] == ["2", "16"]


def test_chain_rule_through_named_quantities(cli):
    r = cli("diff", "q", "--let", "q=5*t", "--let", "t=20-2*T", "--wrt", "T", "--explain")
    assert r.code == 0, r.stderr
    assert "∂q/∂T = ∂q/∂t · ∂t/∂T = 5 · (−2) = −10" in r.stdout
    assert r.stdout.strip().endswith("d/dT = −10")


# --- notation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("f(x) = x^2", X**2),
        ("Battery(x) = 100 - 10*x", 100 - 10 * X),
        ("sin^2(x)", sympy.sin(X) ** 2),
        ("sin²(x) + cos^2(x)", sympy.sin(X) ** 2 + sympy.cos(X) ** 2),
        ("log10(x)", sympy.log(X, 10)),
        ("log2(x)", sympy.log(X, 2)),
    ],
)
def test_notation_reads_as_textbooks_mean_it(text, expected):
    assert read_expression(text).expr == expected


def test_the_left_side_gives_the_variable_order():
    function = read_expression("f(y, x) = x + 2*y")
    assert function.names == ("y", "x") and function.name == "f"


@pytest.mark.parametrize("text", ["d/dx x^2", "d/dx(x^2)", "∂/∂x x^2", "f(x) = d/dx x^2"])
def test_d_dx_is_the_derivative_in_diff(cli, text):
    data = cli("diff", text, "-f", "json").json()
    assert data["derivative"] == "2*x" and data["wrt"] == ["x"]


def test_d_dx_is_refused_where_no_derivative_is_asked_for(cli):
    r = cli("hessian", "d/dx x^3")
    assert r.code == 2 and "use symgrad diff" in r.stderr


def test_d_dx_and_another_wrt_disagree(cli):
    r = cli("diff", "d/dx x*y", "--wrt", "y")
    assert r.code == 2 and "disagree" in r.stderr


def test_undefined_functions_give_the_general_chain_rule(cli):
    r = cli("diff", "f(g(x))")
    assert r.code == 0, r.stderr
    assert "d/dx = f′(g(x))·g′(x)" in r.stdout


def test_a_variable_before_parentheses_keeps_the_product_hint(cli):
    r = cli("diff", "x(y+1)")
    assert r.code == 2 and "write x*(...) for a product" in r.stderr


def test_one_variable_and_two_values_says_repeat_at(cli):
    r = cli("diff", "x^2", "--at", "x=2,3")
    assert r.code == 2 and "repeat --at for several points" in r.stderr


@pytest.mark.parametrize("name, meant", [("sinn", "sin"), ("sqr", "sqrt"), ("Exp", "exp"), ("lg", "log10")])
def test_did_you_mean_a_known_function(cli, name, meant):
    r = cli("diff", f"{name}(x)")
    assert r.code == 2 and f"did you mean {meant}?" in r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("diff", "x^2 = 3 = 4"), "at most one '='"),
        (("diff", "2x = x^2"), "the left side of '='"),
        (("diff", "f(x) ="), "nothing after '='"),
        (("diff", "x", "--let", "a"), "NAME=VALUE"),
        (("diff", "x", "--let", "a=1", "--let", "a=2"), "give it once"),
        (("diff", "t", "--let", "t=2*s", "--let", "s=t"), "circle"),
        (("grad", "x+a", "--vars", "x,a", "--let", "a=1"), "both a variable"),
        (("critical", "a*x^2", "--vars", "x"), "--let a=VALUE"),
        (("diff", "x", "--let", "pi=3"), "is a constant"),
    ],
)
def test_refusals_say_what_to_do(cli, args, message):
    r = cli(*args)
    assert r.code == 2, r.stdout
    assert message in r.stderr


# --- variables and constants --------------------------------------------------------------------


def test_vars_makes_the_other_symbols_constants(cli):
    data = cli("grad", "a*x^2 + y", "--vars", "x,y", "--at", "x=1,y=2,a=3", "-f", "json").json()
    assert data["gradient"] == ["2*a*x", "1"] and data["value"] == ["6", "1"]


def test_let_gives_constants_their_values(cli):
    r = cli(
        "hessian", "log(1+exp(-y*(w*x+b)))", "--vars", "w,b", "--let", "x=2", "--let", "y=1", "-f", "json"
    )
    assert r.code == 0, r.stderr
    assert r.json()["variables"] == ["w", "b"]


def test_let_defines_a_function():
    function = read_expression("g(x) + 1", let=["g(u)=u**2"])
    assert function.expr == X**2 + 1


# --- readable maths, and JSON that reads back ---------------------------------------------------


@pytest.mark.parametrize(
    "expr, text",
    [
        (9 * X**2 - 10 * X, "9x² − 10x"),
        (3 - T / 50, "3 − T/50"),
        (2 * X * sympy.cos(X**2), "2x·cos(x²)"),
        (sympy.exp(X), "eˣ"),
        (sympy.sqrt(2) * X, "√2·x"),
        (sympy.pi * X, "π·x"),
    ],
)
def test_readable(expr, text):
    assert readable(expr) == text


def test_decimals_and_plain(cli):
    args = ("diff", "-0.01T^2 + 3T", "--wrt", "T")
    assert "d/dT = 3 − 0.02T" in cli(*args, "--decimals").stdout
    assert "d/dT = 3 - T/50" in cli(*args, "--plain").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "sin^2(x) * exp(x)"),
        ("diff", "y = log10(x) + 3x^3"),
        ("grad", "x^2*y + sqrt(x*y)", "--at", "(1, 2)"),
        ("grad", "a*x^2 + y", "--vars", "x,y"),
        ("hessian", "x^3*y + exp(x*y)"),
    ],
)
def test_json_reads_back(cli, args):
    data = cli(*args, "-f", "json").json()
    texts = [data["expression"]]
    for key in ("derivative", "gradient", "hessian"):
        value = data.get(key)
        if isinstance(value, str):
            texts.append(value)
        elif value:
            texts += [v for row in value for v in (row if isinstance(row, list) else [row])]
    for text in texts:  # read back by symgrad's parser, printed again: the same text
        assert to_text(parse_expression(text)) == text


def test_did_you_mean_a_command_or_an_option(cli):
    command = cli("difff", "x")
    assert command.code == 2 and "Did you mean 'diff'?" in command.stderr
    option = cli("diff", "x", "--att", "x=1")
    assert option.code == 2 and "--at" in option.stderr


def test_nested_exponentials_are_printed_once_each():
    """Each exp prints its argument once: printing it twice doubled the work at every level."""
    from symgrad.expression import readable as module

    x = sympy.Symbol("x", real=True)
    expr = x + 1
    for _ in range(12):
        expr = sympy.exp(expr + 1)
    calls = []
    printer = module._Printer()
    original = printer._print
    printer._print = lambda e, **kw: calls.append(e) or original(e, **kw)
    text = printer.doprint(expr)
    assert text == "exp(" * 12 + "x + 2)" + " + 1)" * 11
    assert len(calls) < 100  # 12 levels of a few nodes each; twice-printing made it over 20,000
