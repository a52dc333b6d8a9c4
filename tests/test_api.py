"""The Python API: the same results as the commands, in the shapes a notebook user expects."""

import doctest
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import sympy

import symgrad


def test_diff_at_a_point_gives_its_value():
    result = symgrad.diff("3*x**3-5*x**2+2", at={"x": 2})
    assert result.value == 16
    assert result.numeric == 16.0
    assert result.derivative == sympy.sympify("9*x**2 - 10*x").subs("x", sympy.Symbol("x", real=True))


def test_import_symgrad_does_not_load_sympy():
    code = "import sys, symgrad; print([m for m in ('sympy', 'numpy', 'rich') if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("call", "command"),
    [
        (lambda: symgrad.grad("x**2+4*y**2", at=(1, 2)), ["grad", "x**2+4*y**2", "--at", "1,2"]),
        (
            lambda: symgrad.diff("x*y", wrt="y", at=[{"x": 1, "y": 2}, (3, 4)]),
            ["diff", "x*y", "--wrt", "y", "--at", "x=1,y=2", "--at", "3,4"],
        ),  # noqa: E501
        (lambda: symgrad.hessian("x**2+4*y**2", at=(1, 2)), ["hessian", "x**2+4*y**2", "--at", "1,2"]),
        (lambda: symgrad.critical("x**3 - 3*x + y**2"), ["critical", "x**3 - 3*x + y**2"]),
        (
            lambda: symgrad.check("x**2*y", at=(1, 2), grad="2*x*y, x**2"),
            ["check", "x**2*y", "--at", "1,2", "--grad", "2*x*y, x**2"],
        ),  # noqa: E501
        (
            lambda: symgrad.descend(
                "x**2+a*y**2", start=(1, 1), lr=[0.1, 0.2], optimizer="sgd,adam", let={"a": 3}
            ),
            [
                "descend",
                "x**2+a*y**2",
                "--start",
                "1,1",
                "--lr",
                "0.1,0.2",
                "--optimizer",
                "sgd,adam",
                "--let",
                "a=3",
            ],  # noqa: E501
        ),
        (
            lambda: symgrad.descend("x**2-4*x+5", steps=30, every=7, show_work=True),
            ["descend", "x**2-4*x+5", "--steps", "30", "--every", "7", "--show-work"],
        ),
    ],
)
def test_to_dict_equals_the_commands_json(cli, call, command):
    assert call().to_dict() == cli(*command, "--format", "json", "--timeout", "0").json()


def test_a_sympy_expression_goes_through_the_same_parser():
    x, y = sympy.symbols("x y")
    result = symgrad.grad(x**2 * y, at={x: 1, y: sympy.Rational(1, 3)})
    assert result.value == (sympy.Rational(2, 3), 1)
    assert result.to_dict()["expression"] == "x**2*y"


def test_points_in_every_form():
    many = symgrad.diff("x**2", at=[1, "x=2", {"x": 0.5}])
    assert many.value == (2, 4, 1)
    assert symgrad.diff("x**2", at=[3]).value == 6
    assert symgrad.diff("x**2", at=[3, 4]).value == (6, 8)  # a list holds points, a tuple is one
    assert symgrad.diff("x**2").value is None


def test_definitions_and_variables():
    result = symgrad.grad("a*x**2 + y", vars=["x", "y"], let={"a": 3}, at=(1, 0))
    assert result.value == (6, 1)
    assert symgrad.diff("g(x)**2", let=["g(u)=u+1"], at=0).value == 2


def test_errors_are_the_command_lines():
    with pytest.raises(symgrad.ParseError) as caught:
        symgrad.diff("x**")
    assert caught.value.exit_code == 2
    with pytest.raises(symgrad.InputError):
        symgrad.diff("x*y")  # which variable?
    with pytest.raises(symgrad.InputError):
        symgrad.diff("x", at=True)
    with pytest.raises(symgrad.InputError):
        symgrad.diff(["x"])


def test_a_wrong_gradient_and_a_divergence_are_results():
    checked = symgrad.check("x**2*y", at=(1, 2), grad=["2*x*y", "x**3"])
    assert not checked.ok
    assert isinstance(checked.error, symgrad.MathError)
    run = symgrad.descend("x**2", start=1, lr=1.5, steps=2000)
    assert run.diverged
    assert isinstance(run.error, symgrad.DivergedError)


def test_descent_attributes():
    result = symgrad.descend("x**2-4*x+5", start=0, lr=0.1, steps=3, tol=0)
    assert [round(step.point[0], 12) for step in result.steps] == [0.0, 0.4, 0.72, 0.976]
    assert result.final.step == 3
    several = symgrad.descend("x**2", start=[1, 2], steps=5)
    assert len(several.final) == 2


# --- what a notebook shows: checked without a kernel ----------------------------------------------


def _parses(html: str) -> ElementTree.Element:
    """The HTML as XML: well formed, every tag closed, every & escaped."""
    return ElementTree.fromstring(f"<root>{html}</root>")


@pytest.mark.parametrize(
    "make",
    [
        lambda: symgrad.diff("x**3 + w_1", wrt="x", at={"x": 2}),
        lambda: symgrad.grad("x**2+4*y**2", at=[(1, 2), (0, 1)], direction=(1, 1)),
        lambda: symgrad.hessian("x**2*y", at=(1, 2)),
        lambda: symgrad.critical("x**3 - 3*x + y**2"),
        lambda: symgrad.check("x**2*y", at=(1, 2), grad="2*x*y, x**3"),
        lambda: symgrad.descend("x**2 + 3*y**2", start=(1, 1), steps=200, optimizer=["sgd", "adam"]),
    ],
)
def test_notebook_views(make):
    result = make()
    latex = result._repr_latex_()
    assert latex.startswith("$") and latex.endswith("$")
    assert latex.count("{") == latex.count("}")
    assert "$" not in latex.strip("$")
    _parses(result._repr_html_())


def test_descent_steps_are_an_html_table_thinned_like_the_terminals():
    result = symgrad.descend("x**2", start=1, lr=0.01, steps=100, tol=0)
    tree = _parses(result._repr_html_())
    rows = tree.findall(".//table/tr")
    assert rows[0].findtext("th") == "step"
    shown = [row for row in rows[1:] if row.find("td").get("colspan") is None]
    assert len(shown) == 40  # the terminal's TABLE_LIMIT
    assert shown[-1].findtext("td") == "100"
    assert any("steps" in row.findtext("td") for row in rows[1:] if row.find("td").get("colspan"))


def test_plot_returns_a_figure():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    assert isinstance(symgrad.descend("x**2+y**2", start=(1, 1), steps=10).plot(), Figure)
    assert isinstance(symgrad.diff("x**3-3*x").plot(), Figure)


def test_results_delegate_to_the_core():
    result = symgrad.diff("x**2", at=1)
    assert result.evaluations is result.core.evaluations
    assert result.function.names == ("x",)
    with pytest.raises(AttributeError):
        result.no_such_thing  # noqa: B018


def test_the_readmes_python_examples():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```pycon\n(.*?)^```", readme, re.S | re.M)
    assert blocks
    for block in blocks:
        test = doctest.DocTestParser().get_doctest(block, {}, "README.md", "README.md", 0)
        runner = doctest.DocTestRunner()
        runner.run(test)
        assert runner.failures == 0
