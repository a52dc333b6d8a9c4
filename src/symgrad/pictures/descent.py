"""Pictures of descent runs: the path over f (a curve or contours) and the loss and ‖∇f‖ per step.

``runs`` are ``(label, Trajectory)`` pairs; a still picture is a PNG, SVG or PDF, an animation a GIF.
"""

from __future__ import annotations

from symgrad.calculus.grids import require, sample, view_range
from symgrad.errors import InputError
from symgrad.pictures.animation import save_descent_animation
from symgrad.pictures.figures import (
    FORMATS,
    PATH_COLORS,
    new_figure,
    output_format,
    path_contours,
    save_figure,
    short,
    span,
    typed,
    use_file_backend,
)
from symgrad.pictures.plot_data import exact_minima

# Rows drawn per run: a path of millions of steps looks the same thinned to this many.
PATH_ROWS = 400
ARROW_ROWS = 30


def descent_figure(function, runs, figure=None):
    """The path of each run over f (one or two variables) and, beside it, f and ‖∇f‖ per step.

    ``function`` is an ``Expression`` and ``runs`` a list of ``(label, Trajectory)`` pairs.
    """
    np = require("numpy")
    if not runs:
        raise InputError("no descent run to plot")
    n = len(function.variables)
    if figure is None:
        figure = new_figure((12.5, 5.4) if n <= 2 else (11, 4.4))
    if n <= 2:
        grid = figure.add_gridspec(2, 2, width_ratios=(1.35, 1))
        path_axes = figure.add_subplot(grid[:, 0])
        loss_axes = figure.add_subplot(grid[0, 1]), figure.add_subplot(grid[1, 1])
        (_path_1d if n == 1 else _path_2d)(np, path_axes, function, runs)
    else:
        loss_axes = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    _loss_curves(np, loss_axes, runs)
    return figure


# A descent can also be animated.
PLOT_FORMATS = (*FORMATS, "gif")


def check_plot_file(path: str) -> None:
    """Fail early, before a long run, when ``path`` has no image extension or matplotlib is missing."""
    output_format(path, "--plot", PLOT_FORMATS)
    require("matplotlib")


def save_descent_plot(function, runs, path: str, dpi: int | None = None):
    """Draw ``descent_figure`` and write it to ``path`` (.png, .svg or .pdf); returns the Figure.

    A .gif path gets the animation instead (``animation.save_descent_animation``), and None back.
    """
    if output_format(path, "--plot", PLOT_FORMATS) == "gif":
        save_descent_animation(function, runs, path)
        return None
    use_file_backend()
    figure = descent_figure(function, runs)
    save_figure(figure, path, **({} if dpi is None else {"dpi": dpi}))
    return figure


def _rows(np, trajectory, limit):
    rows = np.array(trajectory.sampled_steps(limit), dtype=int)
    points = np.array([trajectory.coordinate(i) for i in range(trajectory.dimension)]).T
    return rows, points[rows]


def _path_1d(np, ax, function, runs):
    variable = function.variables[0]
    drawn = [(label, *_rows(np, run, PATH_ROWS)) for label, run in runs]
    lo, hi = span(np, np.concatenate([points[:, 0] for _, _, points in drawn]))
    x = np.linspace(lo, hi, 600)
    (values,) = sample([function.expr], [variable], [x])
    ax.plot(x, values, color="0.35", lw=1.8, label=f"f({variable.name}) = {short(function.expr)}")
    for k, (label, _, points) in enumerate(drawn):
        color = PATH_COLORS[k % len(PATH_COLORS)]
        xs = points[:, 0]
        (ys,) = sample([function.expr], [variable], [xs])
        ax.plot(xs, ys, "o", ms=4, color=color, label=label, zorder=4)
        _arrows(ax, xs[:ARROW_ROWS], ys[:ARROW_ROWS], color)
        _ends(ax, (xs[0], ys[0]), (xs[-1], ys[-1]), color, k=k, runs=len(drawn))
    minima = [p[0] for p in exact_minima(function.expr, function.variables) if lo <= p[0] <= hi]
    if minima:
        (at_minima,) = sample([function.expr], [variable], [np.array(minima)])
        ax.plot(
            minima,
            at_minima,
            "o",
            ms=20,
            mfc="none",
            mec="black",
            mew=1.6,
            label="exact minimum" if len(minima) == 1 else "exact minima",
            zorder=5,
        )
    view = _view_of(np, values)
    if view:
        ax.set_ylim(*view)
    ax.set_xlim(lo, hi)
    ax.set_xlabel(variable.name)
    ax.set_ylabel(f"f({variable.name})")
    ax.set_title(f"descent path on f = {typed(function.text, 44)}")
    ax.grid(alpha=0.3)
    _legend(ax)


def _path_2d(np, ax, function, runs):
    x_var, y_var = function.variables
    drawn = [(label, *_rows(np, run, PATH_ROWS)) for label, run in runs]
    contours = path_contours(np, ax, function, np.concatenate([points for _, _, points in drawn]))
    if contours is not None:
        filled, (X, Y, values, levels) = contours
        ax.contour(X, Y, values, levels=levels, colors="black", linewidths=0.4, alpha=0.4)
        ax.figure.colorbar(filled, ax=ax, label=f"f({x_var.name}, {y_var.name})")
    for k, (label, _, points) in enumerate(drawn):
        color = PATH_COLORS[k % len(PATH_COLORS)]
        xs, ys = points[:, 0], points[:, 1]
        ax.plot(xs, ys, "-o", ms=3, lw=1.4, color=color, mec="black", mew=0.3, label=label, zorder=4)
        _arrows(ax, xs[:ARROW_ROWS], ys[:ARROW_ROWS], color)
        _ends(ax, (xs[0], ys[0]), (xs[-1], ys[-1]), color, k=k, runs=len(drawn))
    (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()
    if 0.5 <= (x_hi - x_lo) / (y_hi - y_lo) <= 2:
        ax.set_aspect("equal")
    _exact_minima(ax, function, (x_lo, x_hi), (y_lo, y_hi))
    ax.set_title(f"descent path on f = {typed(function.text, 44)}")
    _legend(ax)


def _arrows(ax, xs, ys, color):
    for x0, y0, x1, y1 in zip(xs[:-1], ys[:-1], xs[1:], ys[1:]):
        if x0 != x1 or y0 != y1:
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                zorder=5,
                arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2, "shrinkA": 2, "shrinkB": 2},
            )


def _ends(ax, start, end, color, *, k: int, runs: int):
    """Start (square) and end (star) of run k; earlier runs get larger markers drawn lower, so runs
    that share a start or an end show as nested rings rather than the last one hiding the others."""
    grow = 4 * (runs - 1 - k)
    ax.plot(*start, "s", ms=9 + grow, color=color, mec="black", zorder=6 + k)
    ax.plot(*end, "*", ms=15 + grow, color=color, mec="black", zorder=6 + k)
    if k == 0:
        ax.lines[-2].set_label("start")
        ax.lines[-1].set_label("end")


def _legend(ax) -> None:
    """The legend under the path; its start and end keys in white at one size, whatever the first
    run's colour and marker size (the keys are copies: the markers on the path keep theirs)."""
    legend = ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3, fontsize="small", frameon=False
    )
    for handle, text in zip(legend.legend_handles, legend.get_texts()):
        if text.get_text() in ("start", "end"):
            handle.set_markerfacecolor("white")
            handle.set_markersize(9 if text.get_text() == "start" else 13)
        if text.get_text().startswith("exact minim"):  # a white ring would vanish on the white page
            handle.set_markeredgecolor("black")


def _exact_minima(ax, function, x_range, y_range):
    """The minima ``critical`` finds exactly in view, as a white ring: where descent should arrive
    (a ring, so that an end marker on it still shows)."""
    points = exact_minima(function.expr, function.variables)
    inside = [p for p in points if x_range[0] <= p[0] <= x_range[1] and y_range[0] <= p[1] <= y_range[1]]
    if inside:
        xs, ys = zip(*inside)
        ax.plot(
            xs,
            ys,
            "o",
            ms=20,
            mfc="none",
            mec="white",
            mew=2.2,
            label="exact minimum" if len(xs) == 1 else "exact minima",
            zorder=5,
        )


def _view_of(np, values):
    return view_range(values)


def _loss_curves(np, axes, runs):
    value_axes, norm_axes = axes
    every = np.concatenate([np.asarray(run.values, dtype=float) for _, run in runs])
    every = every[np.isfinite(every)]
    positive = every.size > 0 and bool((every > 0).all())
    # A log scale cannot show f ≤ 0: then it shows the gap f − min f to the lowest f of all runs
    # (zero at that one point, which is left out).
    lowest = 0.0 if positive or every.size == 0 else float(every.min())
    for k, (label, run) in enumerate(runs):
        rows = np.array(run.sampled_steps(4000), dtype=int)
        gaps = np.asarray(run.values, dtype=float)[rows] - lowest
        norms = np.asarray(run.gradient_norms, dtype=float)[rows]
        rows = np.asarray(run.kept_steps, dtype=int)[rows]  # positions among the kept rows, as steps
        color = PATH_COLORS[k % len(PATH_COLORS)]
        value_axes.plot(rows, np.where(gaps > 0, gaps, np.nan), color=color, lw=1.6, label=label)
        norm_axes.plot(rows, np.where(norms > 0, norms, np.nan), color=color, lw=1.6, label=label)
    value_axes.set_yscale("log")
    if positive:
        value_axes.set_ylabel("f (log scale)")
    else:
        value_axes.set_ylabel(f"f − min f, log scale\n(min f = {lowest:.4g})")
    norm_axes.set_yscale("log")
    norm_axes.set_ylabel("‖∇f‖ (log scale)")
    norm_axes.set_xlabel("step")
    value_axes.set_xlabel("step")
    value_axes.set_title("loss f per step")
    norm_axes.set_title("gradient norm ‖∇f‖ per step")
    for ax in axes:
        ax.grid(alpha=0.3, which="both")
    if len(runs) > 1:
        value_axes.legend(fontsize="small")
