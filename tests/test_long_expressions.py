"""Long chains and deep nesting: sums and products of thousands of terms parse, deep nesting is one error.

The parser builds its tree with two stacks rather than with Python's ``ast.parse``, which stopped at
about 2,990 terms in one chain. ``reference`` below is that earlier path (symgrad's token passes,
then Python's parser and a walk of its tree), kept here to check that the new one reads every
well-formed expression into exactly the same SymPy object.
"""

import ast

import pytest
import sympy
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from symgrad.errors import InputError, NestingError, ParseError
from symgrad.expression.functions import FUNCTIONS, build_call
from symgrad.expression.parse import parse_expression
from symgrad.expression.tokens import (
    check_grammar,
    expand_roots,
    insert_products,
    lift_function_powers,
    tokenize,
    undefined_functions,
)

x, y, z = (sympy.Symbol(n, real=True) for n in "xyz")


# --- the reference: Python's parser on the same tokens ------------------------------------------


def reference(text: str):
    """``text`` read as symgrad read it through ``ast.parse``; small inputs without errors only."""
    tokens = lift_function_powers(expand_roots(tokenize(text), text), text)
    callable_names = FUNCTIONS | undefined_functions(tokens)
    tokens = insert_products(tokens, text, callable_names)
    check_grammar(tokens, text)
    leaves = {}
    pieces = []
    for token in tokens:
        if token.kind in ("num", "name"):
            leaves[f"t{len(leaves)}_"] = token
            pieces.append(f"t{len(leaves) - 1}_")
        else:
            pieces.append(token.text)
    tree = ast.parse(" ".join(pieces), mode="eval").body
    expr = _walk(tree, leaves, callable_names - FUNCTIONS)
    if any(not p.base.is_number and p.exp.is_Rational and abs(p.exp) > 1000 for p in expr.atoms(sympy.Pow)):
        reject()  # refused by both parsers as too large
    return expr


def _walk(node, leaves, undefined):
    walk = lambda part: _walk(part, leaves, undefined)  # noqa: E731
    if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Pow):
        adding = isinstance(node.op, (ast.Add, ast.Sub))
        kinds = (ast.Add, ast.Sub) if adding else (ast.Mult, ast.Div)
        items = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, kinds):  # a+b-c+d is one Add
            right = walk(node.right)
            if isinstance(node.op, ast.Sub):
                right = -right
            elif isinstance(node.op, ast.Div):
                right = sympy.Pow(right, -1)
            items.append(right)
            node = node.left
        items.append(walk(node))
        return sympy.Add(*reversed(items)) if adding else sympy.Mul(*reversed(items))
    if isinstance(node, ast.BinOp):
        base, exponent = walk(node.left), walk(node.right)
        if exponent.is_number and abs(exponent) > 30:
            reject()  # refused by both parsers as too large, not what this comparison is about
        return base**exponent
    if isinstance(node, ast.UnaryOp):
        operand = walk(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        name = leaves[node.func.id].text
        args = [walk(arg) for arg in node.args]
        return sympy.Function(name, real=True)(*args) if name in undefined else build_call(name, args)
    token = leaves[node.id]
    if token.kind == "num":
        return sympy.Rational(token.text)
    return {"pi": sympy.pi, "e": sympy.E, "E": sympy.E}.get(token.text) or sympy.Symbol(token.text, real=True)


# --- random well-formed expressions -------------------------------------------------------------

CALLS = {"sin": 1, "cos": 1, "exp": 1, "log": 1, "sqrt": 1, "atan2": 2, "max": 2, "f": 1, "g": 2}


def expressions():
    leaves = st.sampled_from(["x", "y", "z", "2", "3", "0.5", "1e-2", "pi", "e"])

    def extend(parts):
        binary = st.builds(
            lambda a, op, b: f"{a}{op}{b}",
            parts,
            st.sampled_from(["+", "-", "*", "/", "**", "^", " - ", "·", "−", " "]),
            parts,
        )
        call = st.sampled_from(sorted(CALLS)).flatmap(
            lambda name: st.builds(
                lambda args: f"{name}({', '.join(args)})",
                st.lists(parts, min_size=CALLS[name], max_size=CALLS[name]),
            )
        )
        return (
            binary
            | call
            | st.builds(lambda a: f"({a})", parts)
            | st.builds(lambda sign, a: f"{sign}{a}", st.sampled_from(["-", "+", "--", "−"]), parts)
            | st.builds(lambda a, b: f"({a})({b})", parts, parts)  # implied products
            | st.builds(lambda a: f"2{a}", leaves)
            | st.builds(lambda a: f"√{a}", parts)
            | st.builds(lambda a, s: f"({a}){s}", parts, st.sampled_from(["²", "⁻¹", "^-1", "**-2"]))
            | st.builds(lambda a: f"sin^2({a})", parts)
        )

    return st.recursive(leaves, extend, max_leaves=12)


def outcome(read, text):
    """What ``read`` makes of ``text``: the expression, or the error's message and position."""
    try:
        return read(text)
    except InputError as error:
        return type(error).__name__, str(error), getattr(error, "position", None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_the_stack_parser_reads_as_pythons_parser_did(text):
    expected = outcome(reference, text)
    assert outcome(parse_expression, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("-x**2", -(x**2)),
        ("2**-1", sympy.Rational(1, 2)),
        ("-2**2", sympy.Integer(-4)),
        ("-x*y", sympy.Mul(-x, y)),
        ("x**y**z", x ** (y**z)),
        ("x**-y**z", x ** (-(y**z))),
        ("x^2^3", x**8),
        ("(x+1)*2*y", sympy.Mul(x + 1, 2, y)),  # one product: 2*y*(x + 1)
        ("(x+1)*(2*y)", sympy.Mul(x + 1, 2 * y)),
        ("((x+1)*2)*y", sympy.Mul(x + 1, 2, y)),  # a bracketed product on the left joins the chain
        ("x*((x+1)*2)", sympy.Mul(x, 2 * x + 2)),  # on the right it is built first
        ("x/y/z", x / y / z),
        ("x-(y-z)", x - y + z),
        ("max(x, y, 1) - -x", sympy.Max(x, y, 1) + x),
    ],
)
def test_precedence_and_grouping_as_in_python(text, expected):
    assert parse_expression(text) == expected
    assert sympy.srepr(parse_expression(text)) == sympy.srepr(expected)


# --- long chains ----------------------------------------------------------------------------------


def test_a_sum_of_10000_terms():
    text = "+".join(["x"] * 10_000)
    assert len(text) == 19_999
    assert parse_expression(text) == 10_000 * x


def test_a_sum_of_1000_sin_terms():
    text = "+".join(f"sin({k}*x)" for k in range(1, 1001))
    assert parse_expression(text) == sympy.Add(*(sympy.sin(k * x) for k in range(1, 1001)))


def test_a_sum_of_sin_terms_up_to_the_length_limit():
    text = "+".join(["sin(x)-cos(y)"] * 1428)
    assert len(text) == 19_991
    assert parse_expression(text) == 1428 * sympy.sin(x) - 1428 * sympy.cos(y)


def test_products_of_5000_factors_combine_beyond_the_written_exponent_limit():
    assert parse_expression("*".join(["x"] * 5000)) == x**5000
    assert parse_expression("*".join(["x", "y"] * 2500)) == x**2500 * y**2500
    assert parse_expression(" ".join(["x"] * 5000)) == x**5000  # implied products


def test_the_combined_exponent_limit_grows_with_the_text():
    with pytest.raises(ParseError, match=r"x\*\*2000 once the powers are combined \(the limit is 1000\)$"):
        parse_expression("(x**1000)**2")
    assert parse_expression("*".join(["x"] * 1001)) == x**1001  # 2,001 characters
    with pytest.raises(ParseError) as caught:
        parse_expression("(x**1000)**5" + "+y" * 2000)
    assert str(caught.value) == (
        "exponent is too large: x**5000 once the powers are combined (the limit is 4012, the length of "
        "the expression)"
    )
    with pytest.raises(ParseError, match=r"exponent is too large \(the limit is 1000\)"):
        parse_expression("x**1001" + "+y" * 1000)  # a written exponent stays within 1000


def test_the_derivative_of_a_10000_term_sum(cli):
    run = cli("diff", "+".join(["x"] * 10_000), "-f", "json", "--timeout", "0")
    assert run.code == 0, run.stderr
    assert run.json()["derivative"] == "10000"


# --- deep nesting ---------------------------------------------------------------------------------

DEEP = [
    ("(" * 101 + "x" + ")" * 101, 100),
    ("sin(" * 150 + "x" + ")" * 150, 4 * 100 + 3),
    ("√" * 150 + "x", 100),
    ("√" * 19_000 + "x", 100),
    ("√(" * 3000 + "x" + ")" * 3000, 100),
    ("sin^2(" * 2000 + "x" + ")" * 2000, 6 * 100 + 5),
    ("-" * 101 + "x", 101),
    ("-" * 19_000 + "x", 101),
    ("x" + "**x" * 150, 300),
    ("x" + "**x" * 6000, 300),
    ("-(x+" * 60 + "x" + ")" * 60, 4 * 50 + 2),  # 60 brackets, but a sign and a sum in each
]


@pytest.mark.parametrize("text, position", DEEP, ids=[f"{t[:12]}…{len(t)}" for t, _ in DEEP])
def test_deep_nesting_is_one_error_at_its_place(text, position):
    with pytest.raises(NestingError) as caught:
        parse_expression(text)
    assert caught.value.position == position
    assert str(caught.value) == (
        f"expression is nested too deeply at character {position + 1} (more than 100 levels of "
        "brackets, calls, signs or powers): simplify it"
    )


@pytest.mark.parametrize("text, position", DEEP, ids=[f"{t[:12]}…{len(t)}" for t, _ in DEEP])
def test_deep_nesting_exits_2_with_one_line(cli, text, position):
    run = cli("diff", "--timeout", "0", "--", text)
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr == (
        f"Error: expression is nested too deeply at character {position + 1} (more than 100 levels of "
        "brackets, calls, signs or powers): simplify it\n"
    )


def test_nesting_up_to_the_limit_is_read():
    assert parse_expression("(" * 100 + "x" + ")" * 100) == x
    assert parse_expression("-" * 100 + "x") == x
    assert parse_expression("√" * 99 + "x") == x ** sympy.Rational(1, 2**99)


# --- where a long expression's error points ------------------------------------------------------


def test_a_long_expression_shows_a_window_around_the_caret():
    text = "x+" * 5000 + "x)" + "+y" * 100
    with pytest.raises(ParseError) as caught:
        parse_expression(text)
    shown, caret = caught.value.caret_lines()
    assert caught.value.position == 10_001
    assert shown == "  ..." + text[9941:10061] + "..."
    assert caret == "  " + " " * (3 + 60) + "^"
    assert shown[caret.index("^")] == ")"


def test_the_window_keeps_the_end_of_the_text_in_view():
    text = "x+" * 5000
    with pytest.raises(ParseError, match="ends too early") as caught:
        parse_expression(text)
    shown, caret = caught.value.caret_lines()
    assert shown == "  ..." + text[-120:]
    assert caret == "  " + " " * 123 + "^"


def test_the_window_in_the_cli(cli):
    text = "y*" * 3000 + "sinn(x)" + "+x" * 3000
    run = cli("diff", text)
    lines = run.stderr.splitlines()
    assert run.code == 2
    assert lines[0] == "Error: unknown function 'sinn': did you mean sin? (or write sinn*(...) for a product)"
    assert lines[1] == "  ..." + text[5940:6060] + "..."
    assert lines[2].index("^") == 2 + 3 + 60 and lines[1][65:69] == "sinn"
