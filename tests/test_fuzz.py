"""Fuzzing the command line: every input ends in a defined outcome, never in a traceback.

Expressions are generated from the grammar (numbers, names, constants, every function with any number
of arguments, operators, notation people type) and then bent with random characters; commands and
options are drawn too. Each run goes through symgrad's entry point in this process and must end with
exit code 0, 1, 2 or 3, an ``Error: ...`` line on failure, no traceback and no "unexpected failure".

A longer run: ``SYMGRAD_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py``.
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symgrad.expression.functions import FUNCTIONS

EXAMPLES = int(os.environ.get("SYMGRAD_FUZZ_EXAMPLES", "40"))

NAMES = ["x", "y", "z", "w1", "θ", "x_2", "e", "E", "pi", "π", "inf", "nan", "oo", "ｘ", "lambda", "copysign"]
NUMBERS = ["0", "1", "2", "0.5", ".5", "1e3", "1E+25", "1e-9", "3.", "0x1f", "10**400", "1_000", "7"]
OPERATORS = ["+", "-", "*", "/", "**", "^", "·", "−", "×", "÷", " "]
NOISE = list("()[],.=!'\"\\;:%$#@&|~`?<>{}²³⁻¹√∇∂ \t\n\x00\udcff") + ["**", "__", "()", "(("]


def expressions():
    leaves = st.sampled_from(NAMES + NUMBERS)

    def extend(children):
        call = st.builds(
            lambda name, args: f"{name}({', '.join(args)})",
            st.sampled_from(sorted(FUNCTIONS)),
            st.lists(children, min_size=0, max_size=3),
        )
        binary = st.builds(lambda a, op, b: f"{a}{op}{b}", children, st.sampled_from(OPERATORS), children)
        group = st.builds(lambda a: f"({a})", children)
        sign = st.builds(lambda a: f"-{a}", children)
        return call | binary | group | sign

    return st.recursive(leaves, extend, max_leaves=8)


@st.composite
def bent(draw):
    """An expression from the grammar with a few random edits: characters inserted, replaced, cut."""
    text = draw(expressions())
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(text)))
        noise = draw(st.sampled_from(NOISE) | st.text(min_size=1, max_size=2))
        if draw(st.booleans()):
            text = text[:position] + noise + text[position:]
        else:
            text = text[:position] + noise + text[position + len(noise) :]
    return text


POINTS = ["1", "1,2", "x=1", "x=1,y=2", "0", "-1,0.5", "pi/4", "1/0", "x=1,x=2", "1e400", "a=1", ""]
OPTION_VALUES = {
    "diff": [["--at"], ["--wrt"], ["--order"], ["--vars"], ["--format"]],
    "grad": [["--at"], ["--direction"], ["--vars"], ["--format"]],
    "hessian": [["--at"], ["--vars"], ["--format"]],
    "critical": [["--vars"], ["--format"]],
    "check": [["--at"], ["--vars"]],
    "backprop": [["--at"]],
    "descend": [["--start"], ["--lr"], ["--steps"], ["--optimizer"], ["--every"]],
}
VALUES = {
    "--at": POINTS,
    "--start": POINTS,
    "--wrt": ["x", "y", "q", ""],
    "--order": ["1", "2", "0", "-1", "50"],
    "--vars": ["x", "x,y", "y,x", "x,x", "inf", "1"],
    "--format": ["text", "json", "latex", "csv", "xml"],
    "--direction": ["1,1", "0,0", "1", "a"],
    "--lr": ["0.1", "1e9", "0", "-1", "nan", "0.1,0.01"],
    "--steps": ["1", "5", "0", "-3", "30"],
    "--optimizer": ["sgd", "adam", "momentum", "nope"],
    "--every": ["1", "0", "2"],
}


@st.composite
def command_lines(draw):
    command = draw(st.sampled_from(sorted(OPTION_VALUES)))
    args = [command, draw(bent())]
    for (option,) in draw(st.lists(st.sampled_from(OPTION_VALUES[command]), max_size=3)):
        args += [option, draw(st.sampled_from(VALUES[option]))]
    if command == "descend" and "--steps" not in args:
        args += ["--steps", "20"]
    return args + ["--timeout", "1"]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(command_lines())
def test_every_input_has_a_defined_outcome(cli, args):
    run = cli(*args)
    said = run.stdout + run.stderr
    assert run.code in (0, 1, 2, 3), (args, run.code, said)
    assert "Traceback" not in said, (args, said)
    assert "unexpected failure" not in said, (args, said)
    if run.code:
        assert "Error: " in run.stderr, (args, run.code, said)
