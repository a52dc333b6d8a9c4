"""symgrad descend through the command line: the textbook runs, formats, diagnosis and errors."""

import csv
import io
import json
import math

import pytest


def points(data):
    return [step["point"] for step in data["steps"]]


def test_parabola_textbook_iterates(cli):
    data = cli(
        "descend", "x**2-4*x+5", "--start", "0", "--lr", "0.1", "--steps", "10", "--tol", "0", "-f", "json"
    ).json()
    xs = [p[0] for p in points(data)]
    assert xs[:4] == pytest.approx([0, 0.4, 0.72, 0.976], abs=1e-15)
    assert xs[10] == pytest.approx(2 - 2 * 0.8**10, rel=1e-14)
    assert round(xs[10], 5) == 1.78525
    assert data["status"] == "max_steps" and data["iterations"] == 10
    assert data["steps"][0] == {
        "step": 0,
        "point": [0.0],
        "f": 5.0,
        "gradient": [-4.0],
        "grad_norm": 4.0,
        "state": {},
    }


def test_default_start_is_zero_and_default_run_converges(cli):
    data = cli("descend", "x**2-4*x+5", "-f", "json").json()
    assert data["start"] == [0.0] and data["lr"] == 0.1
    assert data["status"] == "converged"
    assert data["final"]["grad_norm"] <= 1e-6
    assert data["final"]["point"][0] == pytest.approx(2, abs=1e-6)


def test_tiny_learning_rate_is_slow_and_says_so(cli):
    data = cli("descend", "x**2", "--start", "10", "--lr", "0.001", "--steps", "1000", "-f", "json").json()
    assert data["final"]["point"][0] == pytest.approx(10 * 0.998**1000, rel=1e-12)
    assert round(data["final"]["point"][0], 5) == 1.35065
    assert data["status"] == "max_steps"


def test_learning_rate_one_bounces_and_warns(cli):
    result = cli("descend", "x**2", "--start", "10", "--lr", "1.0", "--steps", "30", "-f", "json")
    data = result.json()
    assert [p[0] for p in points(data)][:4] == [10.0, -10.0, 10.0, -10.0]
    assert result.code == 0
    # The verdict says what the warning said (and replaces it): lr is not below 2/L.
    assert data["final"]["kind"] == "too large" and data["warnings"] == []
    assert "2/L = 1" in data["verdict"] and "try --lr 0.5" in data["verdict"]


def test_learning_rate_above_two_over_l_diverges(cli):
    result = cli("descend", "x**2", "--start", "10", "--lr", "1.5")
    assert result.code == 1
    assert "diverged at step" in result.stdout
    assert "lr=1.5 is above 2/L = 1.0 for this function; try --lr 0.5" in result.stdout
    assert result.stderr.startswith("Error: sgd diverged at step")
    # Every step taken is printed before the summary.
    rows = [line.split()[0] for line in result.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert rows == [str(k) for k in range(len(rows))] and len(rows) >= 10


def test_two_dimensional_bowl(cli):
    data = cli(
        "descend", "x**2+2*y**2", "--start", "4,3", "--lr", "0.1", "--steps", "3", "--tol", "0", "-f", "json"
    ).json()
    assert points(data)[1:] == [
        pytest.approx(p, rel=1e-15) for p in ([3.2, 1.8], [2.56, 1.08], [2.048, 0.648])
    ]
    assert data["variables"] == ["x", "y"]


def test_house_prices(cli):
    loss = "((100-w*50)**2+(200-w*100)**2+(300-w*150)**2)/3"
    data = cli("descend", loss, "--start", "w=0", "--lr", "1e-5", "-f", "json").json()
    assert data["steps"][0]["gradient"][0] == pytest.approx(-46666.666666666664, rel=1e-15)
    assert data["steps"][1]["point"][0] == pytest.approx(0.46666666666666667, rel=1e-14)
    assert data["status"] == "converged"
    assert data["final"]["point"][0] == pytest.approx(2, abs=1e-9)


def test_csv_has_header_and_one_row_per_step(cli):
    out = cli("descend", "x**2+2*y**2", "--start", "4,3", "--steps", "3", "--tol", "0", "-f", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "x", "y", "f", "grad_x", "grad_y", "grad_norm"]
    assert len(rows) == 5
    assert [float(v) for v in rows[1]] == [0, 4, 3, 34, 8, 12, math.hypot(8, 12)]
    expected = [1, 3.2, 1.8, 16.72, 6.4, 7.2, math.hypot(6.4, 7.2)]
    assert [float(v) for v in rows[2]] == pytest.approx(expected, rel=1e-15)


def test_every_thins_json_and_keeps_the_last_step(cli):
    data = cli(
        "descend", "x**2", "--start", "1", "--steps", "10", "--tol", "0", "--every", "4", "-f", "json"
    ).json()
    assert [s["step"] for s in data["steps"]] == [0, 4, 8, 10]


def test_long_runs_show_forty_rows_and_say_how_many_are_hidden(cli):
    out = cli("descend", "x**2", "--start", "10", "--lr", "0.001", "--steps", "100").stdout
    rows = [line.split()[0] for line in out.splitlines() if line[:4].strip().isdigit()]
    assert len(rows) == 40
    assert rows[:10] == [str(k) for k in range(10)] and rows[-10:] == [str(k) for k in range(91, 101)]
    assert "61 of 101 rows hidden" in out and "--every" in out


def test_summary_only(cli):
    out = cli("descend", "x**2", "--start", "1", "--summary").stdout
    assert "step " not in out and "status" in out and "loss" in out


def test_many_variables_show_only_the_gradient_norm(cli):
    out = cli("descend", "a**2+b**2+c**2+d**2+e2**2", "--start", "1,1,1,1,1", "--steps", "2").stdout
    header = next(line for line in out.splitlines() if line.lstrip().startswith("step"))
    assert "∂f" not in header and "‖∇f‖" in header


def test_several_optimizers_compare(cli):
    result = cli(
        "descend",
        "(1-x)**2+100*(y-x**2)**2",
        "--start",
        "-1,1",
        "--lr",
        "0.001",
        "--steps",
        "3000",
        "--optimizer",
        "sgd,momentum,adam",
        "-f",
        "json",
    )
    runs = result.json()["runs"]
    assert [run["optimizer"] for run in runs] == ["sgd", "momentum", "adam"]
    assert all(run["start"] == [-1.0, 1.0] for run in runs)
    assert runs[1]["hyperparameters"] == {"momentum": 0.9}
    assert runs[2]["hyperparameters"] == {"beta1": 0.9, "beta2": 0.999, "eps": 1e-08}
    text = cli(
        "descend",
        "(1-x)**2+100*(y-x**2)**2",
        "--start",
        "-1,1",
        "--lr",
        "0.001",
        "--steps",
        "300",
        "--optimizer",
        "sgd,adam",
    ).stdout
    assert "optimizer" in text and "final point" in text and "adam" in text


def test_hyperparameters_reach_the_optimizer(cli):
    # Momentum 0.5 on x²: v1 = g0 = 2, x1 = 1 - 0.1*2 = 0.8; v2 = 0.5*2 + 1.6 = 2.6, x2 = 0.8 - 0.26.
    data = cli(
        "descend",
        "x**2",
        "--start",
        "1",
        "--optimizer",
        "momentum",
        "--momentum",
        "0.5",
        "--steps",
        "2",
        "--tol",
        "0",
        "-f",
        "json",
    ).json()
    assert [p[0] for p in points(data)] == pytest.approx([1, 0.8, 0.54], rel=1e-15)


def test_maximize_clip_and_schedule(cli):
    data = cli("descend", "-(x-3)**2", "--maximize", "-f", "json").json()
    assert data["status"] == "converged" and data["final"]["point"][0] == pytest.approx(3, abs=1e-6)
    # Clipped to norm 1: from x=10 the first step is 0.1, not 2.
    data = cli(
        "descend", "x**2", "--start", "10", "--clip", "1", "--steps", "1", "--tol", "0", "-f", "json"
    ).json()
    assert points(data)[1][0] == pytest.approx(9.9, rel=1e-15)
    # inv:1 halves the rate at t=1: x1 = 10 - 0.1*20 = 8, x2 = 8 - 0.05*16 = 7.2.
    data = cli(
        "descend", "x**2", "--start", "10", "--schedule", "inv:1", "--steps", "2", "--tol", "0", "-f", "json"
    ).json()
    assert [p[0] for p in points(data)] == pytest.approx([10, 8, 7.2], rel=1e-15)
    assert data["schedule"] == "inv:1.0"


@pytest.mark.parametrize(
    "args, message",
    [
        (("--lr", "0"), "--lr must be a positive number"),
        (("--lr", "abc"), "abc"),
        (("--steps", "-1"), "--steps must be a whole number"),
        (("--optimizer", "adan"), "unknown optimizer 'adan'"),
        (("--schedule", "exp"), "exp:GAMMA"),
        (("--schedule", "wobble:3"), "wobble"),
        (("--beta1", "0.8"), "--beta1 is used by adam, not sgd"),
        (("--momentum", "1.5", "--optimizer", "momentum"), "--momentum must be in [0, 1)"),
        (("--every", "0"), "--every must be 1 or more"),
        (("--start", "1,2"), "--start has 2 values"),
        (("--clip", "-1"), "--clip must be a positive number"),
        (("--tol", "-1"), "--tol must be a number"),
    ],
)
def test_bad_options_exit_2(cli, args, message):
    result = cli("descend", "x**2", *args)
    assert result.code == 2, result.stderr
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


@pytest.mark.parametrize(
    "expression, start, message",
    [
        ("log(x)", "0", "at the start (x=0)"),
        ("1/x", "0", "at the start (x=0)"),
        ("sqrt(x)", "-1", "at the start (x=-1)"),
    ],
)
def test_a_start_where_f_is_undefined_exits_1(cli, expression, start, message):
    result = cli("descend", expression, "--start", start)
    assert result.code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_unbounded_function_diverges_with_a_reason(cli):
    result = cli("descend", "-x**4", "--start", "1", "--lr", "0.1", "-f", "json")
    assert result.code == 1
    data = result.json()
    assert data["status"] == "diverged"
    assert any("without bound" in w for w in data["warnings"])


def test_a_diverged_run_is_thinned_like_any_other_and_says_so_once(cli):
    # x² with lr 1.05: |x| grows by 1.1 a step, so f passes 10¹² times its start after 145 steps.
    result = cli("descend", "x**2", "--start", "1", "--lr", "1.05", "--steps", "1000")
    assert result.code == 1
    rows = [line.split() for line in result.stdout.splitlines()]
    steps = [int(r[0]) for r in rows if len(r) == 5 and r[0].isdigit()]
    assert len(steps) == 40 and steps[:10] == list(range(10)) and steps[-10:] == list(range(136, 146))
    assert "106 of 146 rows hidden" in result.stdout
    # The cause is said once, in the status line; the error line points at it.
    assert result.stdout.count("diverged at step 145") == 1
    assert result.stderr == "Error: sgd diverged at step 145: see its status and advice above\n"
    every = cli("descend", "x**2", "--start", "1", "--lr", "1.05", "--steps", "1000", "--every", "1")
    assert [int(line.split()[0]) for line in every.stdout.splitlines()[3:149]] == list(range(146))


@pytest.mark.parametrize("optimizers", ["sgd", "sgd,adam,momentum"])
@pytest.mark.parametrize("every", [None, 7])
def test_streamed_json_is_the_json_document(optimizers, every, capsys):
    from symgrad.descent.plan import run_descent
    from symgrad.render import descent_data as views
    from symgrad.render import emit_json

    report = run_descent("x**2+3*y**2", start="1,1", optimizers=optimizers)
    emit_json(views.report_json(report, every))
    whole = capsys.readouterr().out
    views.write_json(report, every)
    assert capsys.readouterr().out == whole
    json.loads(whole)


def test_a_diverged_run_raises_after_its_output_is_written(cli):
    result = cli("descend", "x**2", "--start", "10", "--lr", "1.5", "-f", "json")
    assert result.code == 1
    assert result.json()["status"] == "diverged"  # the whole document came first
    assert result.stderr == (
        "Error: sgd diverged at step 20: f rose from 100.0 to 1.1e14 (x=1.04858e+07); "
        "lr=1.5 is above 2/L = 1.0 for this function; try --lr 0.5\n"
    )


def test_diverged_error_is_a_math_error_with_exit_code_one():
    from symgrad.errors import DivergedError, MathError

    assert issubclass(DivergedError, MathError) and DivergedError("x").exit_code == 1


def test_a_long_run_streams_json_equal_to_the_document(capsys):
    from symgrad.descent.plan import run_descent
    from symgrad.render import descent_data as views

    report = run_descent("x**2+3*y**2", start="1,1", learning_rate=1e-6, steps=100_000, tol=0)
    views.write_json(report, None)
    streamed = json.loads(capsys.readouterr().out)
    assert len(streamed["steps"]) == 100_001
    assert streamed == views.report_json(report, None)
