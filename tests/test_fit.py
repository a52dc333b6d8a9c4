"""symgrad fit: the house-price example, exact answers from lstsq and Newton's method, losses, batches."""

import csv
import io
import json
import math

import numpy as np
import pytest

HOUSES = ["--data", "examples/houses.csv", "--target", "price"]


@pytest.fixture
def in_root(monkeypatch):
    from console_examples import ROOT

    monkeypatch.chdir(ROOT)


def write(tmp_path, name, columns: dict) -> str:
    path = tmp_path / name
    names = list(columns)
    rows = zip(*(columns[n] for n in names))
    path.write_text(
        ",".join(names) + "\n" + "".join(",".join(repr(float(v)) for v in row) + "\n" for row in rows)
    )
    return str(path)


def test_house_prices_start_reach_two_beside_least_squares(cli, in_root):
    run = cli("fit", "w*size", *HOUSES, "--lr", "0.00001", "--format", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    first = data["steps"][0]
    assert first["point"] == [0.0]
    assert first["gradient"][0] == pytest.approx(-46666.666666666664, rel=1e-12)
    assert first["f"] == pytest.approx(46666.666666666664, rel=1e-12)
    assert data["final"]["params"]["w"] == pytest.approx(2, abs=1e-9)
    assert data["least_squares"] == {"w": pytest.approx(2, abs=1e-12)}
    assert data["final"]["r2"] == pytest.approx(1)
    assert data["final"]["kind"] == "minimum" and data["final"]["global"] is True
    assert data["lr_max_stable"] == pytest.approx(2 / (2 / 3 * 35000))
    assert data["condition_number"] == pytest.approx(1)
    assert data["parameters"] == ["w"] and data["features"] == ["size"] and data["target"] == "price"
    assert data["loss_expression"] == "L(w) = (1/n) Σᵢ (priceᵢ − w·sizeᵢ)²"
    assert data["gradient_expression"] == {"w": "−(2/n) Σᵢ sizeᵢ·(priceᵢ − w·sizeᵢ)"}


def test_json_keys_are_the_issue_format(cli, in_root):
    data = cli("fit", "w*size", *HOUSES, "--lr", "1e-5", "--steps", "2", "--format", "json").json()
    assert list(data) == [
        "model", "loss", "loss_expression", "gradient_expression", "parameters", "features", "target",
        "rows", "optimizer", "lr", "batch", "seed", "status", "reason", "iterations", "steps", "final",
        "least_squares", "lr_max_stable", "condition_number", "warnings",
    ]  # fmt: skip
    assert list(data["steps"][0]) == ["step", "point", "f", "gradient", "grad_norm"]
    assert list(data["final"]) == ["params", "loss", "grad_norm", "r2", "kind", "global"]


def test_text_view_shows_the_material(cli, in_root):
    out = cli("fit", "w*size", *HOUSES, "--lr", "0.00001").stdout
    assert "∂L/∂w = −(2/n) Σᵢ sizeᵢ·(priceᵢ − w·sizeᵢ)" in out
    assert "-46666.667" in out
    assert "least squares  w=2" in out
    assert "lr < 2/λmax = 8.57143e-05" in out


def test_the_summary_calls_the_loss_l_as_the_table_does(cli, in_root):
    run = cli("fit", "w*size", *HOUSES, "--lr", "0.00001", "--summary")
    assert "converged after 93 steps: ‖∇L‖ = 8.66e-7" in run.stdout
    assert "L from 46666.7 to " in run.stdout
    assert "f = " not in run.stdout and "‖∇f‖" not in run.stdout
    assert json.loads(cli("fit", "w*size", *HOUSES, "--lr", "0.00001", "--format", "json").stdout)[
        "reason"
    ].startswith("converged after 93 steps: ‖∇L‖")
    diverged = cli("fit", "w*size", *HOUSES, "--lr", "0.01", "--summary")
    assert diverged.code == 1
    assert "diverged at step 3: L rose from 4.67e4 to 7.34e18" in diverged.stderr


def test_two_parameter_linear_fit_reaches_lstsq(tmp_path, cli):
    rng = np.random.default_rng(3)
    x1, x2 = rng.normal(size=200), rng.normal(size=200)
    y = 1.5 * x1 - 0.7 * x2 + rng.normal(scale=0.1, size=200)
    path = write(tmp_path, "d.csv", {"x1": x1, "x2": x2, "y": y})
    data = cli("fit", "a*x1+b*x2", "--data", path, "--target", "y", "--lr", "0.3", "--tol", "1e-12",
               "--steps", "5000", "--format", "json").json()  # fmt: skip
    exact = np.linalg.lstsq(np.column_stack([x1, x2]), y, rcond=None)[0]
    fitted = data["final"]["params"]
    assert fitted["a"] == pytest.approx(exact[0], abs=1e-6)
    assert fitted["b"] == pytest.approx(exact[1], abs=1e-6)
    assert data["least_squares"]["a"] == pytest.approx(exact[0], abs=1e-9)


def newton_logistic(x, y, steps=50):
    """Maximum likelihood of P(y=1) = σ(w·x + b) by Newton's method on the mean cross-entropy."""
    X = np.column_stack([x, np.ones_like(x)])
    theta = np.zeros(2)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ theta))
        gradient = X.T @ (p - y) / len(y)
        hessian = (X * (p * (1 - p))[:, None]).T @ X / len(y)
        theta -= np.linalg.solve(hessian, gradient)
    return theta


def test_logistic_fit_reaches_maximum_likelihood(tmp_path, cli):
    rng = np.random.default_rng(7)
    x = rng.normal(size=300)
    y = (rng.random(300) < 1 / (1 + np.exp(-(2 * x - 0.5)))).astype(float)
    path = write(tmp_path, "p.csv", {"hours": x, "passed": y})
    data = cli("fit", "sigmoid(w*hours+b)", "--data", path, "--target", "passed", "--loss", "logistic",
               "--optimizer", "adam", "--lr", "0.05", "--steps", "20000", "--tol", "1e-10",
               "--format", "json").json()  # fmt: skip
    w, b = newton_logistic(x, y)
    assert data["final"]["params"]["w"] == pytest.approx(w, abs=1e-6)
    assert data["final"]["params"]["b"] == pytest.approx(b, abs=1e-6)
    assert data["final"]["kind"] == "minimum"
    assert data["least_squares"] is None


def test_logistic_is_finite_for_huge_margins(tmp_path):
    from symgrad.fit.compiled import RowLoss
    from symgrad.fit.losses import read_loss
    from symgrad.fit.model import read_model

    loss = RowLoss(read_model("sigmoid(w*x)", ("x", "y"), target="y"), read_loss("logistic"))
    value, (gradient,) = loss.value_and_gradient((1.0,), [np.array([-1000.0, 1000.0]), np.array([1.0, 0.0])])
    assert value == pytest.approx(1000.0) and gradient == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("loss", "per_row", "slope"),
    [
        ("mae", lambda r: abs(r), lambda r: np.sign(r)),
        ("huber:1", lambda r: np.where(abs(r) <= 1, r * r / 2, abs(r) - 0.5), lambda r: np.clip(r, -1, 1)),
    ],
)
def test_mae_and_huber_match_their_formulas(loss, per_row, slope):
    from symgrad.fit.compiled import RowLoss
    from symgrad.fit.losses import read_loss
    from symgrad.fit.model import read_model

    x, y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, 4.0, 2.0, 9.0])
    compiled = RowLoss(read_model("w*x+b", ("x", "y"), target="y"), read_loss(loss))
    value, (db, dw) = compiled.value_and_gradient((0.3, 1.2), [x, y])  # b, w
    r = 1.2 * x + 0.3 - y
    assert value == pytest.approx(per_row(r).mean())
    assert dw == pytest.approx((slope(r) * x).mean()) and db == pytest.approx(slope(r).mean())


def test_batches_are_reproducible_and_epochs_count_passes(tmp_path, cli):
    rng = np.random.default_rng(0)
    x = rng.normal(size=10)
    path = write(tmp_path, "b.csv", {"x": x, "y": 3 * x})
    args = [
        "fit",
        "w*x",
        "--data",
        path,
        "--target",
        "y",
        "--batch",
        "4",
        "--epochs",
        "5",
        "--format",
        "json",
    ]
    one, two = cli(*args, "--seed", "1").json(), cli(*args, "--seed", "1").json()
    other = cli(*args, "--seed", "2").json()
    assert one["steps"] == two["steps"] and one["steps"] != other["steps"]
    assert one["iterations"] == 15 and one["batch"] == 4 and one["seed"] == 1
    assert cli(*args[:-2], "--steps", "3").code == 2


def test_standardize_reports_original_units(tmp_path, cli):
    rng = np.random.default_rng(1)
    size = rng.uniform(50, 200, size=50)
    rooms = rng.integers(1, 6, size=50).astype(float)
    price = 2 * size + 10 * rooms + 5
    path = write(tmp_path, "h.csv", {"size": size, "rooms": rooms, "price": price})
    plain = cli("fit", "w*size+v*rooms+b", "--data", path, "--target", "price", "--lr", "1e-5")
    assert "--standardize would bring the condition number" in plain.stdout
    run = cli("fit", "w*size+v*rooms+b", "--data", path, "--target", "price", "--lr", "0.5",
              "--standardize", "--steps", "2000")  # fmt: skip
    assert run.code == 0, run.stderr
    line = next(line for line in run.stdout.splitlines() if line.startswith("original units"))
    values = dict(part.split("=") for part in line.split(maxsplit=2)[2].split(", "))
    assert float(values["w"]) == pytest.approx(2, abs=1e-6)
    assert float(values["v"]) == pytest.approx(10, abs=1e-6)
    assert float(values["b"]) == pytest.approx(5, abs=1e-5)


def test_csv_is_descends(cli, in_root):
    out = cli("fit", "w*size", *HOUSES, "--lr", "1e-5", "--steps", "2", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "w", "f", "grad_w", "grad_norm"]
    assert float(rows[1][3]) == pytest.approx(-46666.666666666664)


def test_show_work_writes_the_sum_and_the_update(cli, in_root):
    out = cli("fit", "w*size", *HOUSES, "--lr", "1e-5", "--steps", "1", "--show-work").stdout
    assert "∂f/∂w = −(2/n) Σᵢ sizeᵢ·(priceᵢ − w·sizeᵢ) = −46666.66667" in out or "f′(w) = −(2/n)" in out
    assert "w ← w − lr·" in out


def test_plot_writes_a_picture(tmp_path, cli, in_root):
    pytest.importorskip("matplotlib")
    target = tmp_path / "fit.png"
    run = cli("fit", "w*size", *HOUSES, "--lr", "1e-5", "--summary", "--plot", str(target))
    assert run.code == 0, run.stderr
    assert target.stat().st_size > 1000


def test_diverging_fit_exits_1(cli, in_root):
    run = cli("fit", "w*size", *HOUSES, "--lr", "0.001", "--summary")
    assert run.code == 1 and "diverged" in run.stderr
    assert math.isfinite(float(run.stdout.count("advice")))
