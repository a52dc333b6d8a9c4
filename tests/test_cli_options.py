"""The shared options: each command offers its own formats and refuses the others the same way."""

import inspect
import json

import pytest

from symgrad.cli import app
from symgrad.cli.options import Format
from symgrad.cli.output import Views, show_result

OFFERED = {
    "diff": "'text', 'json', 'latex'",
    "grad": "'text', 'json', 'latex'",
    "hessian": "'text', 'json', 'latex'",
    "critical": "'text', 'json'",
    "check": "'text', 'json'",
    "backprop": "'text', 'json'",
}
NEEDS_POINT = {"check", "backprop"}


@pytest.mark.parametrize("command", sorted(OFFERED))
def test_an_unoffered_format_is_a_usage_error(cli, command):
    point = ["--at", "1"] if command in NEEDS_POINT else []
    run = cli(command, "x", *point, "--format", "csv")
    assert run.code == 2
    assert run.stderr == (
        f"Error: Invalid value for '--format' / '-f': 'csv' is not one of {OFFERED[command]}. "
        f"(see 'symgrad {command} --help')\n"
    )


@pytest.mark.parametrize("command", sorted(OFFERED))
def test_an_offered_format_reaches_the_command_as_a_format(cli, command):
    point = ["--at", "1"] if command in NEEDS_POINT else []
    run = cli(command, "x**2", *point, "-f", "json")
    assert run.code == 0, run.stderr
    assert isinstance(run.json(), dict)


def test_options_are_keyword_only():
    for info in app.registered_commands:
        parameters = inspect.signature(info.callback).parameters.values()
        positional = [p.name for p in parameters if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        expected = {"shell": [], "fit": ["model"]}.get(info.name, ["expression"])
        assert positional == expected, info.name


def test_show_result_prints_each_format_plainly(capsys):
    views = Views(
        text=lambda r: f"[bold]{r}[/bold]",
        json=lambda r: {"value": r},
        latex=lambda r: rf"\frac{{{r}}}{{2}}",
        csv=lambda r: [["name", "value"], ["x", r]],
    )
    expected = {
        Format.text: "3\n",
        Format.json: json.dumps({"value": 3}, indent=2) + "\n",
        Format.latex: "\\frac{3}{2}\n",
        Format.csv: "name,value\nx,3\n",
    }
    for output, text in expected.items():
        show_result(3, output, views)
        assert capsys.readouterr().out == text, output


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["diff", "x**2", "--timeout", "3", "--timeout", "4"], "--timeout"),
        (["check", "x**2", "--at", "x=1", "--grad", "2*x", "--grad=3*x"], "--grad"),
        (["descend", "x**2", "--lr", "0.1", "--lr", "0.2"], "--lr"),
        (["grad", "x*y", "-f", "json", "--format", "text"], "--format"),
    ],
)
def test_an_option_that_takes_one_value_is_refused_when_given_twice(cli, args, option):
    run = cli(*args)
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"Error: {option} is given 2 times but takes one value: give it once")
    assert len(run.stderr.splitlines()) == 1


def test_a_repeatable_option_may_be_repeated(cli):
    run = cli("diff", "x**2", "--at", "x=1", "--at", "x=2", "-f", "json")
    assert run.code == 0
    assert [p["at"] for p in run.json()["points"]] == [{"x": "1"}, {"x": "2"}]
