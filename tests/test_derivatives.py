"""diff and grad through the command line: the classic exercises, errors and formats."""

import math
import shlex
import subprocess
import sys

import pytest


def test_cubic(cli):
    data = cli("diff", "3*x**3-5*x**2+2", "--at", "x=2", "--format", "json").json()
    assert data["derivative"] == "9*x**2 - 10*x"
    assert data["value"] == "16"
    assert data["numeric"] == 16.0
    assert data["at"] == {"x": "2"}
    assert data["variables"] == ["x"]
    assert data["order"] == 1
    assert data["latex"] == "9 x^{2} - 10 x"


def test_implicit_multiplication(cli):
    assert cli("diff", "3x^2+2x", "--at", "x=1", "-f", "json").json()["value"] == "8"


def test_profit_maximum_has_zero_slope(cli):
    assert cli("diff", "-20*p**2+200*p-300", "--at", "p=5", "-f", "json").json()["value"] == "0"


def test_gradient_of_bowl(cli):
    data = cli("grad", "x**2+4*y**2", "--at", "1,2", "--format", "json").json()
    assert data["gradient"] == ["2*x", "8*y"]
    assert data["value"] == ["2", "16"]
    assert data["numeric"] == [2.0, 16.0]
    assert data["norm"] == pytest.approx(math.sqrt(260), rel=1e-15)
    assert data["norm_exact"] == "2*sqrt(65)"
    assert data["descent_direction"] == pytest.approx([-2 / math.sqrt(260), -16 / math.sqrt(260)])


def test_gradient_of_hill(cli):
    data = cli("grad", "100 - x**2 - 2*y**2", "--at", "x=3,y=1", "-f", "json").json()
    assert data["numeric"] == [-6.0, -4.0]
    assert data["norm"] == pytest.approx(math.sqrt(52), rel=1e-15)


def test_zero_gradient_has_no_direction(cli):
    data = cli("grad", "x**2+y**2", "--at", "0,0", "-f", "json").json()
    assert data["descent_direction"] is None
    assert data["norm"] == 0.0


def test_text_output_shows_expression_derivative_and_value(cli):
    result = cli("diff", "3*x**3-5*x**2+2", "--at", "x=2")
    assert result.code == 0
    assert "9x² − 10x" in result.stdout
    assert "x=2" in result.stdout and " 16" in result.stdout


def test_mixed_partials_in_order(cli):
    data = cli("diff", "x**2*y**3", "--wrt", "x", "--wrt", "y", "-f", "json").json()
    assert data["derivative"] == "6*x*y**2"
    assert data["order"] == 2 and data["wrt"] == ["x", "y"]


def test_order(cli):
    data = cli("diff", "sin(x)", "--order", "3", "-f", "json").json()
    assert data["derivative"] == "-cos(x)"


def test_exact_points(cli):
    data = cli("diff", "sin(x)", "--at", "x=pi/4", "-f", "json").json()
    assert data["value"] == "sqrt(2)/2"
    assert data["numeric"] == pytest.approx(math.sqrt(2) / 2, rel=1e-15)


def test_several_points(cli):
    data = cli("diff", "x**2", "--at", "x=1", "--at", "x=1/3", "-f", "json").json()
    assert [p["value"] for p in data["points"]] == ["2", "2/3"]


def test_vars_order_and_natural_sort(cli):
    data = cli("grad", "x10 + 2*x2 + 3*x1", "-f", "json").json()
    assert data["variables"] == ["x1", "x2", "x10"]
    assert data["gradient"] == ["3", "2", "1"]
    data = cli("grad", "x + 2*y", "--vars", "y,x", "--at", "1,5", "-f", "json").json()
    assert data["gradient"] == ["2", "1"] and data["at"] == {"y": "1", "x": "5"}


def test_expression_starting_with_minus(cli):
    result = cli("diff", "-x**2+3*x", "--at", "x=1", "-f", "json")
    assert result.code == 0 and result.json()["value"] == "1"


def test_expression_from_stdin(cli):
    assert cli("diff", "-", "-f", "json", stdin="x^3\n").json()["derivative"] == "3*x**2"


def test_an_expression_may_span_lines_on_stdin_but_two_expressions_are_refused(cli):
    assert cli("diff", "-", "-f", "json", stdin="x**2\n  + 3*x\n").json()["derivative"] == "2*x + 3"
    assert cli("grad", "-", "-f", "json", stdin="(x +\n y)**2").json()["gradient"] == ["2*x + 2*y"] * 2
    result = cli("diff", "-", stdin="x**2\ny\n")
    assert result.code == 2
    assert result.stderr == (
        "Error: standard input holds more than one expression (line 2 does not continue line 1): give "
        "one, or end a line with an operator to continue it\n"
    )


def test_latex(cli):
    out = cli("diff", "x**3", "--at", "x=2", "--format", "latex").stdout.splitlines()
    assert out[0] == r"\frac{d}{d x} x^{3} = 3 x^{2}"
    assert out[1].endswith("= 12")


@pytest.mark.parametrize(
    "args, message",
    [
        (("diff", "x*y"), "--wrt"),
        (("diff", "x*y"), "symgrad grad"),
        (("diff", "x**2", "--at", "y=1"), "'y', which is not a variable"),
        (("diff", "x*y", "--wrt", "x", "--at", "x=1"), "no value for y"),
        (("grad", "x*y", "--at", "1,2,3"), "3 values but the expression has 2 variables"),
        (("diff", "x**2", "--at", "x=abc"), "not a number"),
        (("diff", "x**2", "--at", "x=1e400"), "out of float range"),
        (("diff", "x**2", "--at", "x=sqrt(-1)"), "not a real number"),
        (("diff", "x**2", "--at", "x=1/0"), "undefined"),
        (("diff", "x**2", "--at", "x=1,x=2"), "twice"),
        (("diff", "x**2", "--order", "0"), "--order must be 1 or more"),
        (("diff", "x**2", "--order", "500"), "above the limit"),
        (("diff", "x*y", "--wrt", "x", "--wrt", "y", "--order", "2"), "either"),
        (("diff", "x", "--format", "yaml"), "yaml"),
        (("diff", "x", "--bogus"), "No such option"),
    ],
)
def test_bad_input_exit_2(cli, args, message):
    result = cli(*args)
    assert result.code == 2, result.stderr
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


@pytest.mark.parametrize(
    "expression, point, message",
    [
        # Where f itself has no value, neither has its derivative: the message says it is f.
        ("log(x)", "x=0", "no derivative where f itself has no value: undefined at x=0 (log of zero)"),
        ("x*log(x)", "x=0", "no derivative where f itself has no value: undefined at x=0 (log of zero)"),
        ("1/x", "x=1", None),
        ("sqrt(x)", "x=-1", "no derivative where f itself has no value: not a real number at x=-1: I"),
        (
            "x**2/x**3 + 1/x",
            "x=0",
            "no derivative where f itself has no value: undefined at x=0 (division by zero)",
        ),
        ("sin(x)/x", "x=0", "no derivative where f itself has no value: undefined at x=0 (division by zero)"),
        # f has a value, its derivative has none.
        ("sqrt(x)", "x=0", "undefined at x=0 (division by zero)"),
        ("cbrt(x)", "x=0", "undefined at x=0 (division by zero)"),
    ],
)
def test_values_that_do_not_exist(cli, expression, point, message):
    result = cli("diff", expression, "--at", point)
    if message is None:
        assert result.code == 0
        return
    assert result.code == 1
    assert result.stderr.strip() == f"Error: {message}"
    assert "zoo" not in result.stdout and "nan" not in result.stdout


def test_time_limit(cli):
    # This can never finish: each order multiplies the work by about 2.5 (order 12 alone takes two
    # minutes), so order 30 would take decades, and the limit fires on any machine, busy or not.
    result = cli("diff", "exp(sin(x)*cos(x)**2)/(1+x**2)", "--order", "30", "--timeout", "0.2")
    assert result.code == 3
    assert result.stderr.startswith("Error: gave up after 0.2 s")


def test_version_and_module_entry(cli):
    assert cli("--version").stdout.startswith("symgrad ")
    run = subprocess.run([sys.executable, "-m", "symgrad", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.startswith("symgrad ")


COMMANDS = ["diff", "grad", "descend", "hessian", "critical", "taylor", "check", "plot", "backprop"]


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_help_has_an_example_that_runs(cli, name, tmp_path, monkeypatch):
    result = cli(name, "--help")
    assert result.code == 0 and "Example" in result.stdout
    lines = result.stdout.splitlines()
    command = lines[lines.index("  Example:") + 1].strip()  # kept whole on its own line, never wrapped
    assert command.startswith(f"symgrad {name} ")
    monkeypatch.chdir(tmp_path)  # an example may write a file
    # No wall-clock limit: the plot and critical examples do real work, and a busy machine must not fail them.
    assert cli(*shlex.split(command)[1:], "--timeout", "0").code == 0, command


def test_help_lists_every_command(cli):
    out = cli("--help").stdout
    assert all(f"  {name} " in out for name in COMMANDS)


def test_piped_output_is_plain_and_unwrapped(cli):
    long_sum = "+".join(f"x**{i}*sin({i}*x)" for i in range(1, 40))
    lines = cli("diff", long_sum).stdout.splitlines()
    derivative = next(line for line in lines if line.startswith("derivative"))
    assert len(derivative) > 1000  # one line, however long
    assert all("\x1b[" not in line and line == line.rstrip() for line in lines)


def test_bare_command_shows_help_and_missing_argument_is_an_error(cli):
    bare = cli()
    assert bare.code == 0 and bare.stdout.startswith("Usage: symgrad") and "descend" in bare.stdout
    result = cli("diff")
    assert result.code == 2 and result.stderr.startswith("Error: Missing argument")


@pytest.mark.parametrize(
    ("timeout", "message"),
    [("inf", "not in the range 0.0<=x<=86400.0"), ("1e20", "not in the range"), ("nan", "nan is not")],
)
def test_a_timeout_must_be_a_finite_number_of_seconds(cli, timeout, message):
    result = cli("diff", "x**2", "--timeout", timeout)
    assert result.code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_closed_stdin_is_an_input_error():
    script = "from symgrad.cli import main; main(['diff', '-'])"
    done = subprocess.run(
        [sys.executable, "-c", script], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "no expression on standard input" in done.stderr
    closed = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -c "{script}" <&-'], capture_output=True, text=True, check=False
    )
    assert closed.returncode == 2
    assert closed.stderr == "Error: the expression argument was '-' but there is no standard input to read\n"


# --- numbers beyond the floats' range -----------------------------------------------------------


def test_huge_exact_values_print_short_and_exact(cli):
    result = cli("diff", "x**1000", "--at", "x=10**100")
    assert result.code == 0, result.stderr
    assert "x=1e100  1e99903  1e+99903" in result.stdout
    data = cli("diff", "x**1000", "--at", "x=10**100", "-f", "json").json()
    assert data["value"] == "1e99903" and data["numeric"] is None


def test_a_huge_value_that_is_not_a_round_number_keeps_20_digits(cli):
    data = cli("diff", "x**1000", "--at", "x=1001", "-f", "json").json()
    value = 1000 * 1001**999  # 3003 digits
    leading = str(value)[:21]
    rounded = str(round(int(leading), -1) // 10)  # 20 significant digits, rounded
    assert data["value"] == f"{rounded[0]}.{rounded[1:].rstrip('0')}e+{len(str(value)) - 1}"


def test_long_numbers_someone_typed_stay_exact(cli):
    # 43 digits: readable, and rounding them would change the expression.
    point = "x=1." + "0" * 41 + "1"
    data = cli("diff", "x^2", "--at", point, "-f", "json").json()
    assert data["value"] == "1" + "0" * 41 + "1/5e41"  # exact; its round denominator short
    data = cli("diff", "2**(x/3**90)", "-f", "json").json()
    assert "8727963568087712425891397479476727340041449" in data["derivative"]


def test_gradient_beyond_float_range_is_not_called_zero(cli):
    result = cli("grad", "x**2+y**2", "--at", "1e308,1e308")
    assert result.code == 0, result.stderr
    assert "‖∇f‖   2e308·√2  2.82842712475e+308" in result.stdout
    assert "gradient is zero" not in result.stdout
    assert "= [-0.707107, -0.707107]" in result.stdout
    data = cli("grad", "x**2+y**2", "--at", "1e308,1e308", "-f", "json").json()
    assert data["norm"] is None and data["numeric"] == [None, None]
    assert data["descent_direction"] == [-(0.5**0.5), -(0.5**0.5)]


# --- kinks and jumps: a derivative at a point is a limit, not SymPy's Heaviside(0) = 1/2 --------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "abs(x)", "--at", "x=0"), "at x=0: f′ is -1 from the left and 1 from the right"),
        (("diff", "relu(x)", "--at", "x=0"), "f′ is 0 from the left and 1 from the right"),
        (("diff", "max(x,1)", "--at", "x=1"), "f′ is 0 from the left and 1 from the right"),
        (("diff", "abs(x-1)+sqrt(x)", "--at", "x=1"), "f′ is -1/2 from the left and 3/2 from the right"),
        (("diff", "abs(sin(x))", "--at", "x=pi"), "not differentiable at x=pi: f′ is -1"),
        (("diff", "floor(x)", "--at", "x=1"), "f jumps there (0 from the left, 1 from the right)"),
        (("diff", "sign(x)", "--at", "x=0"), "f jumps there (-1 from the left, 1 from the right)"),
        (("diff", "relu(x)**2", "--order", "2", "--at", "x=0"), "f″ is 0 from the left and 2 from the right"),
        (("diff", "abs(x)**3", "--order", "3", "--at", "x=0"), "f‴ is -6 from the left and 6 from the right"),
        (("grad", "abs(x)+y**2", "--at", "0,1"), "∂f/∂x is -1 from the left and 1 from the right along x"),
        (("grad", "max(x,y)", "--at", "1,1"), "∂f/∂x is 0 from the left and 1 from the right along x"),
        # atan2's branch cut: the angle jumps from π to -π across y = 0 where x < 0.
        (
            ("grad", "atan2(y,x)", "--at", "x=-1,y=0"),
            "f jumps there (-pi from the left, pi from the right along y)",
        ),
        (("hessian", "x*abs(x)+y**2", "--at", "0,1"), "∂²f/∂x² is -2 from the left and 2 from the right"),
    ],
)
def test_no_derivative_at_a_kink_or_jump(cli, args, message):
    result = cli(*args)
    assert result.code == 1, result.stdout
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("expr", "order", "at", "value"),
    [
        ("x*abs(x)", 1, "0", "0"),  # the one-sided limits agree: |x|·x is differentiable at 0
        ("relu(x)**2", 1, "0", "0"),
        ("abs(x)**3", 2, "0", "0"),
        ("floor(x)+x**2", 1, "1/2", "1"),  # between the jumps floor is flat
        ("relu(x-1)", 1, "2", "1"),
        ("max(x,1)", 1, "0", "0"),
        ("atan2(x, -1)", 1, "1", "-1/2"),  # away from the cut: d/dx atan2(x, -1) = -1/(1 + x²)
    ],
)
def test_derivative_where_the_one_sided_limits_agree(cli, expr, order, at, value):
    data = cli("diff", expr, "--order", str(order), "--at", f"x={at}", "-f", "json").json()
    assert data["value"] == value


# --- cbrt is the real cube root -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "at", "value"),
    [
        ("cbrt(x)", "-8", "1/12"),  # 1/(3·(-2)²)
        ("cbrt(x)", "27", "1/27"),
        ("cbrt(x**2-1)", "3", "1/2"),  # 2x/(3·cbrt(x²-1)²) = 6/(3·4)
        ("x*cbrt(x)", "-8", "-8/3"),  # (4/3)·cbrt(x)
    ],
)
def test_cbrt_is_the_real_cube_root(cli, expr, at, value):
    data = cli("diff", expr, "--at", f"x={at}", "-f", "json").json()
    assert data["value"] == value


def test_cbrt_of_a_negative_number_and_its_derivative_agree_with_finite_differences(cli):
    assert cli("check", "cbrt(x)*y", "--at", "-2,3").code == 0
    data = cli("diff", "cbrt(x)", "-f", "json").json()
    assert data["derivative"] == "1/(3*cbrt(x)**2)"
    assert data["latex"] == r"\frac{1}{3 \left(\sqrt[3]{x}\right)^{2}}"


def test_a_fractional_power_of_a_negative_number_suggests_cbrt(cli):
    result = cli("diff", "x**(1/3)", "--at", "x=-8")
    assert result.code == 1 and "cbrt(x) is the real one" in result.stderr


def test_descent_through_negative_cube_roots(cli):
    data = cli(
        "descend", "(x+1)**2 + cbrt(x)", "--start", "-3", "--lr", "0.05", "--steps", "200", "-f", "json"
    ).json()
    # The minimum on the negative side: f' = 2(x+1) + 1/(3·cbrt(x)²) = 0, found here by bisection.
    slope = lambda x: 2 * (x + 1) + 1 / (3 * math.cbrt(x) ** 2)  # noqa: E731
    low, high = -3.0, -1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if slope(low) * slope(middle) > 0 else (low, middle)
    assert data["status"] == "converged"
    assert data["final"]["point"][0] == pytest.approx(low, abs=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "log(x)", "--at", "x=-1"), "not a real number at x=-1: I*pi"),
        (("grad", "log(x)+y", "--at", "-1,1"), "not a real number at x=-1, y=1: 1 + I*pi"),
        (("hessian", "log(x)", "--at", "-1"), "not a real number at x=-1: I*pi"),
    ],
)
def test_no_derivative_where_f_itself_has_no_real_value(cli, args, message):
    # 1/x is -1 at x = -1, but log(x) is not real there, so log'(-1) does not exist (over the reals).
    result = cli(*args)
    assert result.code == 1
    assert result.stderr == f"Error: no derivative where f itself has no value: {message}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("grad", "pi*x", "--vars", "x,pi", "--at", "1,2"),
            "--vars names 'pi', which is a constant, not a variable",
        ),
        (("diff", "x", "--vars", "x,sin"), "--vars names 'sin', which is a function, not a variable"),
        (("diff", "x", "--vars", "x,if"), "--vars names 'if', which is a reserved word, not a variable"),
        (
            ("diff", "x*y", "--wrt", "z"),
            "--wrt names 'z', which is not a variable of the expression (x, y); to differentiate by it "
            "anyway, list it in --vars",
        ),
    ],
)
def test_names_that_cannot_be_variables(cli, args, message):
    result = cli(*args)
    assert result.code == 2 and result.stderr == f"Error: {message}\n"


def test_a_variable_the_expression_does_not_use_may_be_listed_and_differentiated(cli):
    assert cli("diff", "x*y", "--wrt", "z", "--vars", "x,y,z", "-f", "json").json()["derivative"] == "0"
    assert cli("diff", "5", "-f", "json").json()["derivative"] == "0"  # a constant: d/dx 5 = 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # ∂f/∂x = y·H(xy) exists at (0, 0) but not at (0, y) for y ≠ 0: no ∂²f/∂x∂y to take there.
        (
            ("diff", "relu(x*y)", "--wrt", "x", "--wrt", "y", "--at", "0,0"),
            "∂f/∂x does not exist just beside it along y",
        ),
        (("hessian", "relu(x*y)", "--at", "0,0"), "∂f/∂x does not exist just beside it along y"),
        (
            ("diff", "abs(x*y)", "--wrt", "x", "--wrt", "y", "--at", "0,0"),
            "∂f/∂x does not exist just beside it along y",
        ),
        (("diff", "atan2(-y**2,-1)", "--at", "y=0"), "f is -pi on both sides but pi at the point"),
        (("diff", "floor(x**2)", "--at", "x=1"), "f jumps there (0 from the left, 1 from the right)"),
    ],
)
def test_mixed_partials_and_composed_steps_at_kinks(cli, args, message):
    result = cli(*args)
    assert result.code == 1 and message in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (("diff", "relu(x)**2*y", "--wrt", "x", "--wrt", "y", "--at", "0,1"), "0"),
        (("diff", "x**2*y**2", "--wrt", "x", "--wrt", "y", "--at", "0,0"), "0"),
        (("diff", "floor(x**2)", "--at", "x=1/2"), "0"),  # floor(x²) is flat between its jumps
    ],
)
def test_smooth_enough_points_keep_their_derivative(cli, args, value):
    data = cli(*args, "-f", "json").json()
    assert data["value"] == value
    assert "Subs" not in data["derivative"]


@pytest.mark.parametrize(
    ("expr", "at", "value"),
    [("x*cbrt(x)", "0", "0"), ("x**2*cbrt(x)", "0", "0"), ("cbrt(x**3)", "0", "1")],
)
def test_a_derivative_whose_formula_divides_by_zero_but_whose_limit_exists(cli, expr, at, value):
    assert cli("diff", expr, "--at", f"x={at}", "-f", "json").json()["value"] == value


def test_an_infinite_limit_is_still_no_derivative(cli):
    for expr in ("cbrt(x)", "sqrt(x)"):
        result = cli("diff", expr, "--at", "x=0")
        assert result.code == 1 and result.stderr == "Error: undefined at x=0 (division by zero)\n"
    assert cli("diff", "x*cbrt(x)", "--order", "2", "--at", "x=0").code == 1  # (4/9)·x^(-2/3)


def test_a_byte_order_mark_on_stdin_is_ignored(cli):
    assert cli("diff", "-", "-f", "json", stdin="\ufeffx**2").json()["derivative"] == "2*x"


def test_a_long_round_denominator_is_written_short_and_reads_back(cli):
    data = cli("diff", "x/10**50", "-f", "json").json()
    assert data["expression"] == "x/1e50" and data["derivative"] == "1/1e50"
    again = cli("diff", f"x*{data['derivative']}", "-f", "json").json()
    assert again["derivative"] == "1/1e50"
