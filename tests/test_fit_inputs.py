"""symgrad fit refuses bad data and names what to fix: one line, exit 2."""

import pytest

GOOD = "size,price\n50,100\n100,200\n150,300\n"


def fit(cli, tmp_path, text, *args, model="w*size", target="price"):
    path = tmp_path / "d.csv"
    if text is not None:
        path.write_text(text)
    return cli("fit", model, "--data", str(path), "--target", target, "--lr", "1e-5", "--summary", *args)


# One case a line reads best, even where a line is long.
@pytest.mark.parametrize(
    ("text", "model", "target", "message"),
    [
        (None, "w*size", "price", "there is no such file"),
        ("", "w*size", "price", "is empty"),
        ("50,100\n100,200\n", "w*size", "price", "holds numbers, not column names: add a header row"),
        ("size,price\n", "w*size", "price", "has a header but no rows of data"),
        (GOOD, "w*size", "prise", "--target prise: there is no such column: did you mean 'price'?"),
        (GOOD, "w*sise", "price", "'sise' is no column, so it would be a parameter: did you mean the column 'size'?"),  # noqa: E501
        ("size,price\n50,100\n100,abc\n", "w*size", "price", "line 3, column price: the cell is 'abc', not a finite number"),  # noqa: E501
        ("size,price\n50,100\n\n100,\n", "w*size", "price", "line 4, column price: the cell is empty"),
        ("size,price\n50,inf\n", "w*size", "price", "line 2, column price: the cell is 'inf'"),
        ("size,price\n50,100,3\n", "w*size", "price", "not a well-formed CSV file: line 2 has more cells than the header"),  # noqa: E501
        (GOOD, "w*price", "price", "the model uses the target price itself"),
        (GOOD, "size", "price", "the model has no parameters to learn"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_error(cli, tmp_path, text, model, target, message):
    run = fit(cli, tmp_path, text, model=model, target=target)
    assert run.code == 2, run.stdout
    assert message in run.stderr
    assert run.stderr.startswith("Error: ") and run.stderr.count("\n") == 1


def test_params_names_a_parameter_close_to_a_column(cli, tmp_path):
    run = fit(cli, tmp_path, GOOD, "--params", "sise", model="sise*size")
    assert run.code == 0, run.stderr


def test_params_must_cover_the_names_that_are_no_columns(cli, tmp_path):
    run = fit(cli, tmp_path, GOOD, "--params", "w", model="w*size+q")
    assert run.code == 2 and "'q' is neither a column of the data nor named by --params" in run.stderr


def test_data_from_standard_input(cli):
    run = cli(
        "fit", "w*size", "--data", "-", "--target", "price", "--lr", "1e-5", "--format", "json", stdin=GOOD
    )
    assert run.code == 0, run.stderr
    assert run.json()["final"]["params"]["w"] == pytest.approx(2, abs=1e-9)


def test_logistic_needs_zero_or_one_targets(cli, tmp_path):
    run = fit(cli, tmp_path, GOOD, "--loss", "logistic", model="sigmoid(w*size)")
    assert run.code == 2 and "--loss logistic needs price to be 0 or 1" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loss", "hinge"], "unknown loss 'hinge'"),
        (["--loss", "huber:-1"], "huber:DELTA takes a positive number"),
        (["--batch", "0"], "--batch must be 1 or more"),
        (["--epochs", "2", "--steps", "3"], "give --steps or --epochs, not both"),
        (["--plot", "out.txt"], "the file name must end in"),
    ],
)
def test_bad_options(cli, tmp_path, args, message):
    run = fit(cli, tmp_path, GOOD, *args)
    assert run.code == 2 and message in run.stderr


def test_without_pandas_says_how_to_install(cli, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    run = fit(cli, tmp_path, GOOD)
    assert run.code == 2 and 'pip install "symgrad[fit]"' in run.stderr


def test_a_later_row_with_a_cell_too_many(cli, tmp_path):
    run = fit(cli, tmp_path, "size,price\n50,100\n100,200,1\n")
    assert run.code == 2 and "Expected 2 fields in line 3, saw 3" in run.stderr
