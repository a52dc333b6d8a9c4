"""symgrad plot: image files, what the figures hold, terminal charts, and life without matplotlib."""

import json
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy

np = pytest.importorskip("numpy")
pytest.importorskip("matplotlib")

from symgrad.pictures.figures import plot_figure  # noqa: E402
from symgrad.pictures.plot_data import mark, prepare_plot  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def lines_by_label(axes):
    return {line.get_label(): line for line in axes.get_lines()}


# --- files ------------------------------------------------------------------------------------


def test_png_of_a_curve(cli, tmp_path):
    path = tmp_path / "f.png"
    r = cli("plot", "x**2", "--out", str(path))
    assert r.code == 0, r.stderr
    assert r.stdout.splitlines()[0] == f"wrote {path}"
    assert "minimum at x=0, f=0" in r.stdout
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000


def test_png_of_a_gradient_field(cli, tmp_path):
    path = tmp_path / "field.png"
    r = cli("plot", "x**2 + y**2", "--out", str(path))
    assert r.code == 0, r.stderr
    assert "∇f = [2x, 2y]" in r.stdout
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_svg_is_xml_with_the_title(cli, tmp_path):
    path = tmp_path / "f.svg"
    r = cli("plot", "sin(x)", "--out", str(path))
    assert r.code == 0, r.stderr
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_pdf_and_surface(cli, tmp_path):
    path = tmp_path / "s.pdf"
    r = cli("plot", "x*y", "--surface", "--out", str(path), "--timeout", "0")
    assert r.code == 0, r.stderr
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args, message",
    [
        (["x**2", "--out", "f.gif"], "must end in .png, .svg or .pdf"),
        (["x**2+y**2+z**2"], "fix the others with --at, e.g. --at z=0"),
        (["x**2", "--surface"], "--surface draws a function of two variables"),
        (["x*y", "--second"], "--second draws f″ of one variable"),
        (["x**2", "--range", "x=2:1"], "the low end must be below the high end"),
        (["x**2", "--range", "y=0:1"], "not a plotted variable"),
        (["x**2", "--range", "x=0"], "--range takes VAR=LO:HI"),
        (["x*y", "--at", "w=1"], "not a variable"),
        (["x*y", "--at", "x=1,y=2"], "--at fixes every variable"),
        (["x*y", "--at", "1"], "--at fixes variables by name, e.g. --at z=1"),
        (["x*y*z", "--at", "z=1,z=2"], "--at gives z twice"),
        (["x*y*z", "--at", "z=a"], "the value of z is not a number"),
        (["3"], "no variable to plot against"),
    ],
)
def test_bad_requests_exit_2(cli, args, message):
    r = cli("plot", *args)
    assert r.code == 2
    assert message in r.stderr


def test_show_without_a_display_exits_2(cli, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    r = cli("plot", "x**2", "--show")
    assert r.code == 2
    assert "--show needs a display" in r.stderr


# --- what the figures hold --------------------------------------------------------------------


def test_curve_figure_draws_f_and_the_exact_derivative():
    figure = plot_figure(prepare_plot("x**3 - 3*x"))
    (axes,) = figure.axes
    lines = lines_by_label(axes)
    f, slope = lines["f(x) = x³ − 3x"], lines["f′(x) = 3x² − 3"]
    xs, ys = slope.get_xdata(), slope.get_ydata()
    for i in (0, 123, 400, 650, len(xs) - 1):
        assert ys[i] == pytest.approx(3 * xs[i] ** 2 - 3, rel=1e-12, abs=1e-12)
        assert f.get_ydata()[i] == pytest.approx(xs[i] ** 3 - 3 * xs[i], rel=1e-12, abs=1e-12)
    # f′ = 3x² − 3 is zero at x = ±1: a maximum f(−1) = 2 and a minimum f(1) = −2.
    assert list(lines["maximum"].get_xydata()[0]) == [-1.0, 2.0]
    assert list(lines["minimum"].get_xydata()[0]) == [1.0, -2.0]
    assert axes.get_xlabel() == "x"
    assert axes.get_ylabel() == "f(x), f′(x)"
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["f(x) = x³ − 3x", "f′(x) = 3x² − 3", "minimum", "maximum"]
    assert "f(x) = x³ − 3x" in axes.get_title()


def test_second_derivative_on_request():
    figure = plot_figure(prepare_plot("x**3 - 3*x", second=True))
    line = lines_by_label(figure.axes[0])["f″(x) = 6x"]
    xs, ys = line.get_xdata(), line.get_ydata()
    assert ys[100] == pytest.approx(6 * xs[100])
    assert figure.axes[0].get_ylabel() == "f(x), f′(x), f″(x)"


def test_field_figure_has_contours_arrows_along_the_gradient_and_a_saddle():
    from matplotlib.contour import ContourSet
    from matplotlib.quiver import Quiver

    figure = plot_figure(prepare_plot("x**2 - y**2"))
    axes = figure.axes[0]
    assert any(isinstance(c, ContourSet) for c in axes.collections)
    (quiver,) = [c for c in axes.collections if isinstance(c, Quiver)]
    # Every arrow points along ∇f = (2x, −2y) (the axes are square, so directions are kept).
    for (x, y), u, v in zip(quiver.XY, quiver.U, quiver.V):
        if abs(x) + abs(y) > 0.5:
            assert math.atan2(v, u) == pytest.approx(math.atan2(-2 * y, 2 * x), abs=1e-9)
    saddle = lines_by_label(axes)["saddle point"]
    assert list(saddle.get_xydata()[0]) == [0.0, 0.0]
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("x", "y")
    colorbar = figure.axes[1]
    assert colorbar.get_ylabel() == "f(x, y)"
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["arrows: ∇f, length ∝ √‖∇f‖ (uphill)", "saddle point"]


def test_field_classifies_critical_points_of_a_known_function():
    # f = x·y·e^(−x²−y²): a saddle at 0, maxima at ±(1/√2, 1/√2), minima at ±(1/√2, −1/√2).
    plot = prepare_plot("x*y*exp(-x**2-y**2)", ranges=["x=-2:2", "y=-2:2"])
    kinds = {(round(c.numeric[0], 6), round(c.numeric[1], 6)): mark(c) for c in plot.critical}
    h = round(1 / math.sqrt(2), 6)
    assert kinds == {
        (0, 0): "saddle point",
        (h, h): "maximum",
        (-h, -h): "maximum",
        (h, -h): "minimum",
        (-h, h): "minimum",
    }


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        # Once marked "critical point" (f″ = 0 or det H = 0) or not at all; each is what f's values
        # around it show, and what symgrad critical says.
        ("x**4", {(0.0,): "minimum"}),
        ("-x**6", {(0.0,): "maximum"}),
        ("abs(x-1)", {(1.0,): "minimum"}),
        ("x*cbrt(x)", {(0.0,): "minimum"}),
        ("x**2*cbrt(x)", {(0.0,): "critical point"}),  # an inflection
        ("floor(x)+x**2", {(0.0,): "critical point"}),  # f jumps down to -1 just left of 0
        ("x**4 - 2*x**2 + y**4", {(-1.0, 0.0): "minimum", (0.0, 0.0): "saddle point", (1.0, 0.0): "minimum"}),
        ("(x**2 + y**2)**2", {(0.0, 0.0): "minimum"}),
    ],
)
def test_plot_marks_critical_points_as_symgrad_critical_classifies_them(text, marks):
    from symgrad.analysis.critical.points import critical_points

    plot = prepare_plot(text)
    assert {c.numeric: mark(c) for c in plot.critical} == marks
    kinds = {p.numeric: p.classification.kind for p in critical_points(text).points}
    for c in plot.critical:
        assert kinds[c.numeric] == c.classification.kind
        # The reference: f on the plot's own grid within 0.5 of the point.
        if isinstance(plot.values, np.ndarray) and plot.values.ndim == 2:
            X, Y = np.meshgrid(plot.x, plot.y)
            near = plot.values[np.hypot(X - c.numeric[0], Y - c.numeric[1]) < 0.5]
        else:
            near = plot.values[np.abs(plot.x - c.numeric[0]) < 0.5]
        lower, higher = np.any(near < c.value_numeric), np.any(near > c.value_numeric)
        expected = {"minimum": (False, True), "maximum": (True, False)}.get(mark(c), (True, True))
        assert (lower, higher) == expected


def test_a_curve_marks_exact_roots_of_a_cubic_derivative():
    # f′ = 4x³ − 4x + 1/2: once found by interpolating on the grid (x ≈ −1.0574, off by 5e-5).
    plot = prepare_plot("(x**2 - 1)**2 + 0.5*x")
    assert [mark(c) for c in plot.critical] == ["minimum", "maximum", "minimum"]
    for c in plot.critical:
        (x,) = c.numeric
        assert 4 * x**3 - 4 * x + 0.5 == pytest.approx(0, abs=1e-12)


def test_surface_adds_a_3d_axes():
    figure = plot_figure(prepare_plot("x**2 + y**2"), surface=True)
    assert [a.name for a in figure.axes] == ["rectilinear", "rectilinear", "3d"]
    assert figure.axes[2].get_zlabel() == "f(x, y)"


# --- sampling ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, undefined, defined, reference",
    [
        ("log(x)", -1.0, 2.0, math.log),
        ("log(x - 1)", 0.0, 2.5, lambda x: math.log(x - 1)),
        ("sqrt(x)", -0.5, 3.0, math.sqrt),
        ("acosh(x)", 0.0, 2.0, math.acosh),
    ],
)
def test_undefined_values_are_gaps(text, undefined, defined, reference):
    plot = prepare_plot(text, ranges=["x=-2:4"])
    i, j = (int(np.argmin(abs(plot.x - v))) for v in (undefined, defined))
    assert math.isnan(plot.values[i])
    assert plot.values[j] == pytest.approx(reference(plot.x[j]), rel=1e-12)


def test_a_constant_is_spread_over_the_grid():
    plot = prepare_plot("3", variables="x")
    assert plot.values.shape == plot.x.shape and set(plot.values) == {3.0}
    assert set(plot.slopes) == {0.0} and plot.critical == ()


def test_functions_numpy_lacks_are_sampled_point_by_point():
    plot = prepare_plot("erf(x)", ranges=["x=-1:1"])
    assert plot.values[-1] == pytest.approx(math.erf(1.0), rel=1e-12)
    assert plot.slopes[-1] == pytest.approx(2 / math.sqrt(math.pi) * math.exp(-1), rel=1e-12)


def test_critical_points_from_sign_changes_when_sympy_cannot_solve():
    # f′ = cos(x) − x/3 has no closed-form zero; its zeros are found on the grid.
    plot = prepare_plot("sin(x) - x**2/6")
    assert plot.critical and not any(c.exact for c in plot.critical)
    for c in plot.critical:
        assert math.cos(c.numeric[0]) - c.numeric[0] / 3 == pytest.approx(0, abs=1e-4)
    # Bisection as the reference for the root near 1.17.
    lo, hi = 1.0, 1.5
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if math.cos(mid) - mid / 3 > 0 else (lo, mid)
    assert min(abs(c.numeric[0] - lo) for c in plot.critical) < 1e-4


def test_default_range_surrounds_far_critical_points():
    plot = prepare_plot("(x-20)**2")
    assert plot.x[0] < 20 < plot.x[-1]
    assert [c.numeric for c in plot.critical] == [(20.0,)]


def test_ranges_take_exact_values_and_slices_fix_variables():
    plot = prepare_plot("x**2 + y**2 + z**2", ranges=["x=0:2*pi"], at="z=1")
    assert (plot.x[0], plot.x[-1]) == (0.0, 2 * math.pi)
    assert plot.values[0, 0] == pytest.approx(plot.x[0] ** 2 + plot.y[0] ** 2 + 1)


# --- terminal ----------------------------------------------------------------------------------


def test_terminal_chart_of_a_curve(cli):
    r = cli("plot", "x**3-3*x")
    assert r.code == 0, r.stderr
    assert "f(x) = x³ − 3x" in r.stdout
    assert "maximum at x=-1, f=2" in r.stdout and "minimum at x=1, f=-2" in r.stdout
    assert "save it as an image with --out plot.png" in r.stdout
    assert "\x1b[" not in r.stdout  # no colour codes off a terminal
    assert "┤" in r.stdout  # the chart's axis


def test_terminal_map_of_a_field(cli):
    r = cli("plot", "x**2+y**2")
    assert r.code == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if line.endswith("|")]
    assert len(rows) == 24
    assert sum(row.count("o") for row in rows) == 1  # the minimum at the origin
    assert "shades ' .:-=+*#%@': f from" in r.stdout and "the direction of ∇f" in r.stdout


# --- without matplotlib ------------------------------------------------------------------------


def test_without_matplotlib_plot_says_how_to_install_and_the_rest_works(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    r = cli("plot", "x**2", "--out", str(tmp_path / "f.png"))
    assert r.code == 2
    assert r.stderr.strip() == "Error: plotting needs matplotlib: pip install 'symgrad[plot]'"
    assert cli("diff", "x**2", "--at", "x=3").code == 0


def test_help_imports_no_plotting_library():
    code = (
        "import sys; from symgrad.cli import main\n"
        "try:\n    main(['plot', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numpy', 'matplotlib', 'plotext', 'sympy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# --- the README's pictures ----------------------------------------------------------------------


def readme_picture_commands():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Pictures", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^(symgrad .*--(?:out|plot) (docs/\S+\.png).*)$", section, re.M)


def test_readme_pictures_exist_and_their_commands_work(cli, tmp_path):
    import shlex

    commands = readme_picture_commands()
    assert len(commands) >= 2
    for command, picture in commands:
        assert (ROOT / picture).read_bytes().startswith(PNG_SIGNATURE)
        args = shlex.split(command.replace(picture, str(tmp_path / Path(picture).name)))[1:]
        r = cli(*args, "--timeout", "0")  # no wall-clock limit: a busy machine must not fail it
        assert r.code == 0, (command, r.stderr)
        assert (tmp_path / Path(picture).name).read_bytes().startswith(PNG_SIGNATURE)


# --- descent pictures --------------------------------------------------------------------------


def descent_runs(text, start, *settings):
    from symgrad import calculus
    from symgrad.descent.loop import descend
    from symgrad.expression.reading import read_expression

    function = read_expression(text)
    value_and_grad = calculus.compile_value_and_gradient(function.expr, function.variables)
    runs = [
        (
            f"{optimizer} lr={lr}",
            descend(
                value_and_grad, start, optimizer=optimizer, learning_rate=lr, steps=60, names=function.names
            ),
        )
        for optimizer, lr in settings
    ]
    return function, runs


def test_descent_plot_of_two_variables(tmp_path):
    from matplotlib.contour import ContourSet

    from symgrad.pictures.descent import save_descent_plot

    function, runs = descent_runs("x**2 + 2*y**2", (4.0, 3.0), ("sgd", 0.1), ("momentum", 0.1))
    path = tmp_path / "path.png"
    figure = save_descent_plot(function, runs, str(path))
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    path_axes, value_axes, norm_axes, colorbar = figure.axes
    assert colorbar.get_ylabel() == "f(x, y)"
    assert any(isinstance(c, ContourSet) for c in path_axes.collections)
    lines = lines_by_label(path_axes)
    sgd = lines["sgd lr=0.1"]
    # Plain gradient descent on x² + 2y² with lr 0.1: x ← 0.8·x, y ← 0.6·y.
    assert sgd.get_xydata()[:3].ravel() == pytest.approx([4, 3, 3.2, 1.8, 2.56, 1.08])
    assert list(lines["start"].get_xydata()[0]) == [4.0, 3.0]
    end = runs[0][1].final.point
    assert list(lines["end"].get_xydata()[0]) == pytest.approx(list(end))
    assert len(path_axes.texts) >= 20  # the arrows between iterates
    legend = [t.get_text() for t in path_axes.get_legend().get_texts()]
    assert {"sgd lr=0.1", "momentum lr=0.1", "start", "end"} <= set(legend)
    assert value_axes.get_yscale() == norm_axes.get_yscale() == "log"
    assert value_axes.get_ylabel() == "f (log scale)"
    assert norm_axes.get_ylabel() == "‖∇f‖ (log scale)"
    steps, values = lines_by_label(value_axes)["sgd lr=0.1"].get_data()
    assert values[:3] == pytest.approx([16 + 18, 3.2**2 + 2 * 1.8**2, 2.56**2 + 2 * 1.08**2])


def test_descent_plot_of_one_variable_with_negative_f(tmp_path):
    from symgrad.pictures.descent import save_descent_plot

    function, runs = descent_runs("x**2 - 4*x", (0.0,), ("sgd", 0.1))
    figure = save_descent_plot(function, runs, str(tmp_path / "path.svg"))
    ET.parse(tmp_path / "path.svg")
    path_axes, value_axes, _ = figure.axes
    xs, ys = lines_by_label(path_axes)["sgd lr=0.1"].get_data()
    assert ys == pytest.approx(xs**2 - 4 * xs)  # the iterates sit on the curve
    assert path_axes.get_xlabel() == "x" and path_axes.get_ylabel() == "f(x)"
    assert value_axes.get_ylabel().startswith("f − min f, log scale")
    lowest = min(runs[0][1].values)
    _, gaps = lines_by_label(value_axes)["sgd lr=0.1"].get_data()
    assert gaps[0] == pytest.approx(0 - lowest)


def test_descent_plot_of_three_variables_shows_only_the_loss(tmp_path):
    from symgrad.pictures.descent import save_descent_plot

    function, runs = descent_runs("x**2 + y**2 + z**2", (1.0, 2.0, 3.0), ("adam", 0.1))
    figure = save_descent_plot(function, runs, str(tmp_path / "loss.pdf"))
    assert [a.get_title() for a in figure.axes] == [
        "loss f per step",
        "gradient norm ‖∇f‖ per step",
    ]


def test_descend_plot_option_writes_the_picture(cli, tmp_path):
    path = tmp_path / "path.png"
    r = cli(
        "descend", "x**2 + 2*y**2", "--start", "4,3", "--lr", "0.1", "--plot", str(path), "--timeout", "0"
    )
    assert r.code == 0, r.stderr
    assert f"wrote {path}" in r.stderr
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    r = cli("descend", "x**2", "--start", "1", "--plot", str(tmp_path / "p.jpg"))
    assert r.code == 2 and r.stdout == ""  # refused before the run
    assert "--plot" in r.stderr and ".png, .svg, .pdf or .gif" in r.stderr


def test_the_derivative_is_not_drawn_where_f_is_undefined():
    plot = prepare_plot("log(x)", ranges=["x=-5:5"])
    undefined = plot.x <= 0
    assert np.isnan(plot.values[undefined]).all()
    assert np.isnan(plot.slopes[undefined]).all()  # 1/x exists there, but f does not
    assert np.allclose(plot.slopes[~undefined], 1 / plot.x[~undefined])


@pytest.mark.parametrize(
    ("expr", "ranges", "where"),
    [("log(x)", ["x=-5:-1"], "x=-5:-1"), ("log(x*y)", ["x=-2:-1", "y=1:2"], "x=-2:-1, y=1:2")],
)
def test_a_range_where_f_has_no_real_value_is_an_error(cli, expr, ranges, where, tmp_path):
    args = [arg for r in ranges for arg in ("--range", r)]
    result = cli("plot", expr, *args, "--out", str(tmp_path / "f.png"))
    assert result.code == 1
    assert result.stderr == f"Error: f has no real value anywhere in {where}: choose another --range\n"
    assert not (tmp_path / "f.png").exists()


def test_a_missing_folder_is_refused_before_any_work(cli, tmp_path):
    missing = tmp_path / "no" / "f.png"
    result = cli("descend", "x**2", "--start", "1", "--plot", str(missing))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr == (
        f"Error: --plot {missing}: there is no folder {missing.parent}; create it or choose another\n"
    )
    result = cli("plot", "x**2", "--out", str(missing))
    assert result.code == 2 and result.stderr.startswith(f"Error: --out {missing}: there is no folder")


def test_no_false_vertical_strokes_at_poles():
    plot = prepare_plot("tan(x)")
    lo, hi = plot.y_view
    y = plot.values
    a, b = y[:-1], y[1:]
    joined = np.isfinite(a) & np.isfinite(b)
    # No drawn segment leaps across the whole view from one side of it to the other.
    middle = (lo + hi) / 2
    assert not np.any(joined & (np.abs(b - a) > hi - lo) & ((a - middle) * (b - middle) < 0))
    assert np.count_nonzero(np.isnan(plot.x)) == 4  # the poles ±π/2, ±3π/2 within ±5
    smooth = prepare_plot("x**3-3*x")
    assert not np.isnan(smooth.x).any() and not np.isnan(smooth.values).any()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "--range", "x=-1e308:1e308"), "--range x=-1e308:1e308: the ends must lie within ±1e+100"),
        (
            ("x*y", "--range", "x=0:1", "--range", "x=0:2"),
            "--range gives x twice: give one range per variable",
        ),
    ],
)
def test_ranges_that_cannot_be_drawn_are_refused(cli, args, message):
    result = cli("plot", *args)
    assert result.code == 2 and result.stderr == f"Error: {message}\n"


def test_values_too_large_for_contours_are_a_clear_error(cli, tmp_path):
    result = cli("plot", "exp(x)*y", "--range", "x=0:1000", "--out", str(tmp_path / "f.png"))
    assert result.code == 1
    assert result.stderr == (
        "Error: f reaches 4.2e+277 in this range, too large to draw as contours: choose a smaller --range\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("exp(x)", "--range", "x=0:1000"),
        ("x**3", "--range", "x=-1e100:1e100"),
        ("x**5*y**5", "--range", "x=-1e100:1e100"),
    ],
)
def test_overflow_in_sampling_raises_no_warnings(cli, args, tmp_path):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cli("plot", *args, "--out", str(tmp_path / "g.png"))
    assert result.code == 0 and result.stderr == ""
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []


# --- --tangent -----------------------------------------------------------------------------------


def test_tangent_line_is_exact_and_drawn_on_the_curve(cli, tmp_path):
    plot = prepare_plot("x**3 - 3*x", tangent="x=2")
    x = sympy.Symbol("x", real=True)
    assert sympy.expand(plot.tangent.line - (9 * x - 16)) == 0  # f(2) = 2, f′(2) = 9
    assert plot.tangent.ys[0] == pytest.approx(9 * float(plot.x[0]) - 16)
    r = cli("plot", "x**3 - 3*x", "--tangent", "2", "-o", str(tmp_path / "t.png"))
    assert r.code == 0, r.stderr
    assert "tangent at x=2: y = 9x − 16" in r.stdout


def test_tangent_is_refused_for_two_variables_and_at_a_kink(cli):
    two = cli("plot", "x**2 + y**2", "--tangent", "x=1")
    assert two.code == 2 and "one variable" in two.stderr
    kink = cli("plot", "abs(x)", "--tangent", "0")
    assert kink.code == 1 and "no tangent line at x=0" in kink.stderr


def test_the_range_follows_the_function(cli):
    result = cli("plot", "x**3-3*x", "--format", "json")
    data = json.loads(result.stdout)
    lo, hi = data["range"]["x"]
    assert lo <= -1 and hi >= 1 and -4.5 <= lo and hi <= 4.5
    kinds = {f["kind"] for f in data["features"]}
    assert {"minimum", "maximum", "inflection"} <= kinds
    assert set(data) >= {"expression", "variables", "range", "curves", "features"}


def test_log_starts_at_its_domain_and_one_over_x_shows_both_branches():
    log = prepare_plot("log(x)")
    assert log.x[0] >= 0
    reciprocal = prepare_plot("1/x")
    assert reciprocal.x[0] < 0 < reciprocal.x[-1]
    assert np.isnan(reciprocal.values).any()  # the pole is a gap, not a line


@pytest.mark.parametrize("suffix", ["svg", "pdf"])
def test_the_same_command_writes_the_same_file(cli, tmp_path, suffix):
    first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
    cli("plot", "x**2+y**2", "-o", str(first), "--timeout", "0")
    cli("plot", "x**2+y**2", "-o", str(second), "--timeout", "0")
    assert first.read_bytes() == second.read_bytes()


def test_pdf_fonts_are_truetype(cli, tmp_path):
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "f.pdf"
    cli("plot", "x**2+y**2", "-o", str(path), "--timeout", "0")
    fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
    assert "TrueType" in fonts and "Type 3" not in fonts


def test_dpi_scales_the_png(cli, tmp_path):
    image = pytest.importorskip("PIL.Image")
    sizes = []
    for dpi in (100, 200):
        path = tmp_path / f"f{dpi}.png"
        cli("plot", "x**2", "-o", str(path), "--dpi", str(dpi), "--timeout", "0")
        sizes.append(image.open(path).size)
    assert sizes[1] == (2 * sizes[0][0], 2 * sizes[0][1])


@pytest.mark.parametrize("expr", ["x**3-3*x", "x*y*exp(-x**2-y**2)"])
def test_the_terminal_chart_fits_sixty_columns_without_colour(monkeypatch, expr):
    from symgrad.pictures import terminal

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "60")
    color, columns = terminal.terminal_style(True)
    assert (color, columns) == (False, 60)
    plot = prepare_plot(expr)
    chart = (
        terminal.curve_chart if len(plot.fixed) == 0 and hasattr(plot, "variable") else terminal.field_chart
    )(plot, width=columns, color=color)
    assert "\x1b[" not in chart
    assert max(len(line) for line in chart.splitlines()) <= 60


def test_round_ticks():
    from symgrad.pictures.terminal import round_ticks

    assert round_ticks(-4.4, 4.4, 5) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_titles_show_f_as_typed():
    from symgrad.pictures.figures import typed

    assert typed("(1-x)**2+100*(y-x**2)**2") == "(1 − x)² + 100(y − x²)²"
    assert typed("x*y*exp(-x**2-y**2)") == "x·y·exp(−x² − y²)"


def test_a_fields_ranges_keep_to_where_f_is_defined():
    plot = prepare_plot("log(x) + y**2")
    assert plot.x[0] == 0.0 and plot.y[0] < 0 < plot.y[-1]
    assert "kept to where f is defined" in plot.range_reason
