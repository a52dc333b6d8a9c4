"""descend as a teacher uses it: worked steps, several runs in one command, true verdicts, noise,
honest loss curves, output that fits the screen, and an animation."""

import io
import json

import pytest
from rich.console import Console

from symgrad.descent.plan import run_descent
from symgrad.render import descent as views


def test_show_work_writes_out_the_textbook_parabola(cli):
    result = cli("descend", "x**2-4*x+5", "--start", "0", "--lr", "0.1", "--steps", "3", "--show-work")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    block = lines[lines.index("step 1   x = 0.4") :][:3]
    assert block == [
        "step 1   x = 0.4",
        "  f′(x) = 2x − 4 = 2·0.4 − 4 = −3.2",
        "  x ← x − lr·f′(x) = 0.4 − 0.1·(−3.2) = 0.72",
    ]
    assert "  x ← x − lr·f′(x) = 0.72 − 0.1·(−2.56) = 0.976" in lines
    assert "step 3   x = 0.976" in lines


def test_show_work_writes_one_line_per_component():
    text = "x**2+2*y**2"
    result = run_cli_lines(text, "--start", "4,3", "--lr", "0.1", "--steps", "2", "--show-work")
    assert [
        "  ∂f/∂x = 2x = 2·4 = 8",
        "  ∂f/∂y = 4y = 4·3 = 12",
        "  x ← x − lr·∂f/∂x = 4 − 0.1·8 = 3.2",
        "  y ← y − lr·∂f/∂y = 3 − 0.1·12 = 1.8",
        "step 1   x = 3.2, y = 1.8",
        "  ∂f/∂x = 2x = 2·3.2 = 6.4",
        "  ∂f/∂y = 4y = 4·1.8 = 7.2",
        "  x ← x − lr·∂f/∂x = 3.2 − 0.1·6.4 = 2.56",
        "  y ← y − lr·∂f/∂y = 1.8 − 0.1·7.2 = 1.08",
        "step 2   x = 2.56, y = 1.08",
    ] == result[result.index("step 0   x = 4, y = 3") + 1 :][:10]


def run_cli_lines(*args):
    from console_examples import invoke

    outcome = invoke(["descend", *args])
    assert outcome.code == 0, outcome.stderr
    return outcome.stdout.splitlines()


@pytest.mark.parametrize(
    ("optimizer", "expected"),
    [
        ("momentum", ["v ← μ·v + f′(x) = 0.9·0 + 2 = 2", "x ← x − lr·v = 1 − 0.1·2 = 0.8"]),
        (
            "nesterov",
            ["v ← μ·v + f′(x) = 0.9·0 + 2 = 2", "x ← x − lr·(f′(x) + μ·v) = 1 − 0.1·(2 + 0.9·2) = 0.62"],
        ),
        (
            "adagrad",
            ["s ← s + f′(x)² = 0 + 2² = 4", "x ← x − lr·f′(x)/(√s + ε) = 1 − 0.1·2/(√4 + 1e-10) = 0.9"],
        ),
        (
            "rmsprop",
            [
                "v ← α·v + (1 − α)·f′(x)² = 0.99·0 + 0.01·2² = 0.04",
                "x ← x − lr·f′(x)/(√v + ε) = 1 − 0.1·2/(√0.04 + 1e-08) = 4.999999792e-08",
            ],
        ),
        (
            "adam",
            [
                "m ← β₁·m + (1 − β₁)·f′(x) = 0.9·0 + 0.1·2 = 0.2",
                "v ← β₂·v + (1 − β₂)·f′(x)² = 0.999·0 + 0.001·2² = 0.004",
                "m̂ = m/(1 − β₁ᵗ) = 0.2/(1 − 0.9¹) = 2",
                "v̂ = v/(1 − β₂ᵗ) = 0.004/(1 − 0.999¹) = 4",
                "x ← x − lr·m̂/(√v̂ + ε) = 1 − 0.1·2/(√4 + 1e-08) = 0.9000000005",  # ε shows
            ],
        ),
    ],
)
def test_each_optimizer_shows_its_own_arithmetic(cli, optimizer, expected):
    result = cli(
        "descend",
        "x**2",
        "--start",
        "1",
        "--optimizer",
        optimizer,
        "--steps",
        "1",
        "--tol",
        "0",
        "--show-work",
    )
    lines = [line.strip() for line in result.stdout.splitlines()]
    start = lines.index("f′(x) = 2x = 2·1 = 2")
    assert lines[start + 1 : start + 1 + len(expected)] == expected


def test_schedule_clip_and_ascent_are_written_out(cli):
    result = cli(
        "descend",
        "x**2-4*x+5",
        "--start",
        "0",
        "--steps",
        "2",
        "--tol",
        "0",
        "--show-work",
        "--schedule",
        "exp:0.5",
        "--clip",
        "1",
    )
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "g = ∇f·1/3.8   since ‖∇f‖ = 3.8 > clip = 1" in lines
    assert "lr_1 = lr·0.5^t = 0.1·0.5^1 = 0.05" in lines
    assert "x ← x − lr_1·g = 0.1 − 0.05·(−1) = 0.15" in lines
    ascent = cli("descend", "-x**2", "--start", "1", "--steps", "1", "--maximize", "--show-work")
    assert "g = −∇f" in ascent.stdout and "x ← x − lr·g = 1 − 0.1·2 = 0.8" in ascent.stdout


def test_work_and_state_are_in_json_and_csv(cli):
    data = cli(
        "descend",
        "x**2",
        "--start",
        "1",
        "--optimizer",
        "adam",
        "--steps",
        "2",
        "--tol",
        "0",
        "--show-work",
        "-f",
        "json",
    ).json()
    first, second = data["steps"][:2]
    assert first["state"] == {"m": [0.0], "v": [0.0]}
    assert second["state"]["m"] == pytest.approx([0.2]) and second["state"]["v"] == pytest.approx([0.004])
    assert first["work"][0] == "step 0   x = 1" and "m ← β₁·m" in first["work"][2]
    rows = cli(
        "descend", "x**2+y**2", "--start", "1,1", "--optimizer", "momentum", "--steps", "1", "-f", "csv"
    ).stdout
    header, zero, one = rows.splitlines()
    assert header.endswith("grad_norm,velocity_x,velocity_y")
    assert zero.endswith(",0.0,0.0") and one.endswith(",2.0,2.0")


@pytest.mark.parametrize(
    ("name", "ours", "theirs"),
    [
        ("adam", ("m", "v"), ("exp_avg", "exp_avg_sq")),
        ("momentum", ("velocity",), ("momentum_buffer",)),
        ("adagrad", ("sum_of_squares",), ("sum",)),
        ("rmsprop", ("square_average",), ("square_avg",)),
    ],
)
def test_the_state_agrees_with_torch_optim(cli, name, ours, theirs):
    torch = pytest.importorskip("torch")
    data = cli(
        "descend",
        "x**2+3*y**2",
        "--start",
        "1,-2",
        "--optimizer",
        name,
        "--lr",
        "0.05",
        "--steps",
        "5",
        "--tol",
        "0",
        "-f",
        "json",
    ).json()
    p = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    make = {
        "adam": lambda: torch.optim.Adam([p], lr=0.05),
        "momentum": lambda: torch.optim.SGD([p], lr=0.05, momentum=0.9),
        "adagrad": lambda: torch.optim.Adagrad([p], lr=0.05),
        "rmsprop": lambda: torch.optim.RMSprop([p], lr=0.05),
    }
    optimizer = make[name]()
    for step in data["steps"][1:]:
        optimizer.zero_grad()
        (p[0] ** 2 + 3 * p[1] ** 2).backward()
        optimizer.step()
        state = optimizer.state[p]
        for mine, torch_name in zip(ours, theirs):
            assert step["state"][mine] == pytest.approx(state[torch_name].tolist(), rel=1e-12, abs=1e-15)
        assert step["point"] == pytest.approx(p.detach().tolist(), rel=1e-12, abs=1e-15)


def test_every_start_and_learning_rate_runs_and_the_lowest_is_named(cli):
    data = cli(
        "descend", "x**2", "--start", "10", "--start", "-5", "--lr", "1,0.001,0.1", "-f", "json"
    ).json()
    runs = data["runs"]
    assert [(r["start"], r["lr"]) for r in runs] == [
        ([10.0], 1.0),
        ([10.0], 0.001),
        ([10.0], 0.1),
        ([-5.0], 1.0),
        ([-5.0], 0.001),
        ([-5.0], 0.1),
    ]
    assert data["lowest"] in (2, 5) and runs[data["lowest"]]["lr"] == 0.1
    text = cli("descend", "x**2", "--start", "10", "--lr", "1,0.001,0.1").stdout
    assert "ended lowest: lr=0.1" in text
    assert text.splitlines()[2].split()[:2] == ["lr", "status"]  # lr differs, optimizer and start do not


def test_the_learning_rate_dilemma_has_a_verdict_per_run(cli):
    runs = cli("descend", "x**2", "--start", "10", "--lr", "1,0.001,0.1", "-f", "json").json()["runs"]
    assert [(r["final"]["kind"], r["final"]["global"]) for r in runs] == [
        ("too large", None),
        ("too slow", None),
        ("minimum", True),
    ]
    assert "try --lr 0.5" in runs[0]["verdict"] and "try --lr 0.5" in runs[1]["verdict"]


def test_of_two_starts_the_global_minimum_is_named(cli):
    runs = cli(
        "descend", "x**4-2*x**2+x/2", "--start", "-1.5", "--start", "1.5", "--lr", "0.05", "-f", "json"
    ).json()["runs"]
    assert [(r["final"]["kind"], r["final"]["global"]) for r in runs] == [
        ("minimum", True),
        ("minimum", False),
    ]
    assert "-1.51475 at x = -1.05745 is lower" in runs[1]["verdict"]


def test_a_saddle_is_not_called_converged(cli):
    result = cli("descend", "x**2-y**2", "--start", "1,0")
    verdict = [line for line in result.stdout.splitlines() if line.startswith("verdict")]
    assert verdict == [
        "verdict  saddle point, not a minimum: f falls along (0, 1); "
        "a small push escapes it, e.g. --noise 0.01"
    ]
    data = cli("descend", "x**2-y**2", "--start", "1,0", "-f", "json").json()
    assert data["status"] == "converged" and data["final"]["kind"] == "saddle"


def test_noise_escapes_the_saddle_and_the_seed_repeats_the_run(cli):
    first = cli(
        "descend",
        "x**2-y**2",
        "--start",
        "1,0",
        "--noise",
        "0.01",
        "--seed",
        "3",
        "--steps",
        "60",
        "-f",
        "json",
    ).json()
    again = cli(
        "descend",
        "x**2-y**2",
        "--start",
        "1,0",
        "--noise",
        "0.01",
        "--seed",
        "3",
        "--steps",
        "60",
        "-f",
        "json",
    ).json()
    other = cli(
        "descend",
        "x**2-y**2",
        "--start",
        "1,0",
        "--noise",
        "0.01",
        "--seed",
        "4",
        "--steps",
        "60",
        "-f",
        "json",
    ).json()
    assert first["steps"] == again["steps"]
    assert first["steps"] != other["steps"]
    assert abs(first["final"]["point"][1]) > 1  # pushed off the saddle, y grows along the way down
    assert first["noise"] == 0.01 and first["seed"] == 3


def test_a_faded_gradient_is_a_plateau_and_a_fall_without_end_is_unbounded(cli):
    plateau = cli("descend", "(sigmoid(w)-0.5)**2", "--start", "10", "-f", "json").json()
    assert plateau["final"]["kind"] == "plateau"
    assert (
        "flat tail of σ" in plateau["verdict"]
        and "may have no minimum" not in " ".join(plateau["warnings"]) + plateau["verdict"]
    )
    falling = cli("descend", "-x**2", "--start", "1", "-f", "json").json()
    assert falling["final"]["kind"] == "unbounded" and "--maximize" in falling["verdict"]
    creeping = cli("descend", "x**3", "--start", "1", "-f", "json").json()
    assert creeping["final"]["kind"] != "unbounded"  # it slows down towards the flat point at 0


def test_steady_decay_draws_as_a_steady_slope_on_a_labelled_log_scale():
    report = run_descent("x**2", start="10", learning_rate=0.1, steps=60, tol=0)
    text = views._loss_text(report.runs[0])
    curve, label = text.split("  ")[0], text
    assert label.endswith("log scale")
    heights = ["▁▂▃▄▅▆▇█".index(bar) for bar in curve]
    assert heights == sorted(heights, reverse=True)
    drops = [a - b for a, b in zip(heights, heights[1:])]
    assert max(drops) <= 1  # f falls by the same factor each step: no cliff


def test_a_linear_curve_has_no_log_label():
    report = run_descent("x**2-4*x+5", start="0", learning_rate=0.1, steps=10, tol=0)
    assert not views._loss_text(report.runs[0]).endswith("log scale")


@pytest.mark.parametrize("width", [80, 60])
def test_tables_fit_the_screen_without_cutting_numbers(monkeypatch, width):
    report = run_descent(
        "(1-x)**2+100*(y-x**2)**2",
        start="-1,1",
        learning_rate=0.001,
        steps=3000,
        optimizers="sgd,momentum,adam",
    )
    buffer = io.StringIO()

    def narrow(stderr=False):
        return Console(file=buffer, width=width, force_terminal=True, color_system=None, highlight=False)

    monkeypatch.setattr("symgrad.render.console", narrow)
    monkeypatch.setattr("symgrad.render.descent.console", narrow)
    views.show(views.comparison_view(report))
    one = run_descent("x**2+2*y**2", start="4,3", learning_rate=0.1, steps=30)
    views.show(views.run_view(one, 0, None, False))
    text = buffer.getvalue()
    assert "…" not in text
    table_lines = [line for line in text.splitlines() if "e-" in line or "max_steps" in line]
    assert table_lines and all(len(line) <= width for line in table_lines)


def test_the_descent_animates_as_a_gif_of_at_most_200_frames(cli, tmp_path):
    pytest.importorskip("matplotlib")
    image = pytest.importorskip("PIL.Image")
    path = tmp_path / "descent.gif"
    result = cli(
        "descend",
        "x**2+2*y**2",
        "--start",
        "4,3",
        "--start",
        "-4,2",
        "--steps",
        "500",
        "--tol",
        "0",
        "--summary",
        "--plot",
        str(path),
        "--timeout",
        "0",  # drawing 200 frames must not race a busy machine's clock
    )
    assert result.code == 0, result.stderr
    with image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 200
    one = tmp_path / "one.gif"
    assert (
        cli("descend", "x**2", "--start", "3", "--steps", "5", "--plot", str(one), "--timeout", "0").code == 0
    )
    with image.open(one) as gif:
        assert gif.n_frames == 6  # every step of a short run


def test_json_reads_back_its_runs_in_one_object(cli):
    out = cli("descend", "x**2", "--start", "1", "--start", "2", "-f", "json").stdout
    assert set(json.loads(out)) == {"runs", "lowest"}


def test_data_held_fixed_with_let_is_not_moved(cli):
    loss = "log(1+exp(-y*(w*x+b)))"
    data = cli(
        "descend", loss, "--vars", "w,b", "--let", "x=2", "--let", "y=1", "--steps", "2", "-f", "json"
    ).json()
    assert data["variables"] == ["w", "b"]
    # At w = b = 0: ∂f/∂w = −x·y·σ(−y(wx+b)) = −2·½ = −1 and ∂f/∂b = −y·σ(…) = −½,
    # so one step of lr 0.1 goes to (0.1, 0.05).
    assert data["steps"][1]["point"] == pytest.approx([0.1, 0.05], abs=1e-15)
    refused = cli("descend", "log(1+exp(-y*(w*x+b)))", "--vars", "w,b")
    assert refused.code == 2 and "--let" in refused.stderr


def test_the_heading_writes_maths_unless_plain(cli):
    assert cli("descend", "x**2-4*x+5", "--steps", "1").stdout.startswith("sgd on f = x² − 4x + 5 (lr=0.1)")
    assert cli("descend", "x**2-4*x+5", "--steps", "1", "--plain").stdout.startswith(
        "sgd on f = x**2 - 4*x + 5"
    )


def test_memory_does_not_grow_with_the_number_of_steps_when_a_summary_is_shown():
    import tracemalloc

    from symgrad.descent.record import KEEP

    f = "+".join(f"(x{i}-{i})**2" for i in range(1, 9))  # eight variables: a row is 18 floats

    def peak(steps):
        tracemalloc.start()
        report = run_descent(f, learning_rate=1e-6, steps=steps, tol=0, keep=KEEP)
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert len(report.runs[0]) == steps + 1
        return size

    small, large = peak(20_000), peak(200_000)
    # Every row would take 18·8 bytes a step: 26 MB more for the larger run. The kept rows do not grow.
    assert large - small < 3_000_000, (small, large)


# A real process, signalled once its loop has started (a wrapper around the loop announces it), so
# the test does not depend on how long start-up takes on a busy machine.
DRIVER = """
import signal
import sys
from symgrad import interrupts
# A test runner started as a background job inherits an ignored SIGINT, which symgrad rightly keeps
# ignored; a user at a terminal has it, so the test restores it first.
signal.signal(signal.SIGINT, signal.default_int_handler)
interrupts.install()
import symgrad.descent.loop as loop
original = loop._run
def announced(*args):
    print("LOOP", file=sys.stderr, flush=True)
    return original(*args)
loop._run = announced
from symgrad.cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize(("signal_name", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_signal_stops_the_loop_and_keeps_the_steps_so_far(signal_name, code, output):
    import signal
    import subprocess
    import sys
    import time

    f = "sin(x)**2+cos(y)**2+exp(-x*y)"  # a few µs a step, so 0.1 s makes some ten thousand rows
    args = ["descend", f, "--start", "1,1", "--lr", "1e-9", "--steps", "10000000", "--tol", "0"]
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args, "-f", output],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr.readline() == "LOOP\n"
    time.sleep(0.1)
    process.send_signal(getattr(signal, signal_name))
    out, err = process.communicate(timeout=120)
    assert process.returncode == code, err
    assert "Traceback" not in err
    word = "interrupted" if signal_name == "SIGINT" else "stopped by SIGTERM"
    assert err.strip() == f"Error: {word}"
    if output == "json":
        data = json.loads(out)
        assert data["status"] == "interrupted" and 0 < data["iterations"] < 10_000_000
        assert len(data["steps"]) == data["iterations"] + 1
    else:
        assert f"{word} after" in out and "rows hidden" in out


def test_a_signal_stops_fit_the_same_way(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    rows = "\n".join(f"{x},{2 * x + 1}" for x in range(200))
    data = tmp_path / "line.csv"
    data.write_text("x,y\n" + rows + "\n")
    args = ["fit", "w*x+b", "--data", str(data), "--target", "y", "--lr", "1e-9", "--steps", "10000000"]
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args, "--tol", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr.readline() == "LOOP\n"
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip() == "Error: interrupted" and "interrupted after" in out
