"""Descent as an animated GIF: the point moving on the curve of f, or the path growing over its contours.

At most ``FRAMES`` frames, evenly spread over the run (always the first and the last step), so a run of
millions of steps costs what a short one does. The still parts are drawn once and only the moving
points each frame (blitting); Pillow, which matplotlib depends on, writes the GIF.
"""

from __future__ import annotations

from symgrad.calculus.grids import require, sample
from symgrad.errors import InputError
from symgrad.pictures.figures import (
    PATH_COLORS,
    path_contours,
    save_atomically,
    short,
    span,
    use_file_backend,
)

FRAMES = 200
FRAMES_PER_SECOND = 12
DPI = 80  # 512 × 384 pixels: each frame is drawn and reduced to a palette, so size is time


def save_descent_animation(function, runs, path: str, frames: int = FRAMES) -> int:
    """Write the runs (``(label, Trajectory)`` pairs) of ``function`` to ``path`` as a GIF.

    Returns the number of frames written.
    """
    np = require("numpy")
    require("matplotlib")
    if not runs:
        raise InputError("no descent run to animate")
    use_file_backend()
    # lazy: matplotlib and Pillow (which matplotlib brings) are the plot extra, checked by require()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    # Frames go by position among the rows a run kept (every row, unless a long run was thinned).
    longest = max((run for _, run in runs), key=lambda run: len(run.values))
    rows = len(longest.values)
    shown = sorted({round(i * (rows - 1) / (frames - 1)) for i in range(frames)}) if rows > 1 else [0]
    steps = list(longest.kept_steps)
    figure = Figure(figsize=(6.4, 4.8), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # a raster canvas, whose pixels can be kept and restored
    ax = figure.add_subplot()
    n = len(function.variables)
    tracks = [_track(np, run) for _, run in runs]
    if n == 1:
        draw = _curve(np, ax, function, runs, tracks)
    elif n == 2:
        draw = _contours(np, ax, function, runs, tracks)
    else:
        draw = _losses(np, ax, runs)
    title = ax.set_title("step 0")
    # Lay the figure out once: the constrained layout would be solved again on every frame, which costs
    # more than drawing it.
    figure.canvas.draw()
    figure.set_layout_engine("none")

    canvas = figure.canvas
    moving = draw(0) + [title]
    for artist in moving:
        artist.set_animated(True)
    canvas.draw()  # everything that does not move, once
    background = canvas.copy_from_bbox(figure.bbox)
    images = []
    for position in shown:
        # Only the moving parts are drawn again, over the still background: matplotlib's own
        # PillowWriter redraws the whole figure twice a frame, ten times the cost.
        canvas.restore_region(background)
        title.set_text(f"step {steps[position]}")
        for artist in draw(position) + [title]:
            artist.axes.draw_artist(artist) if artist.axes else figure.draw_artist(artist)
        images.append(Image.frombuffer("RGBA", canvas.get_width_height(), bytes(canvas.buffer_rgba())))

    def write(target: str) -> None:
        first, *rest = [image.convert("RGB") for image in images]
        duration = round(1000 / FRAMES_PER_SECOND)
        first.save(target, format="GIF", save_all=True, append_images=rest, duration=duration, loop=0)

    save_atomically(path, write)
    return len(shown)


def _track(np, run):
    """The run's points as an array of rows (one per step)."""
    return np.array([np.asarray(run.coordinate(i), dtype=float) for i in range(run.dimension)]).T


def _curve(np, ax, function, runs, tracks):
    variable = function.variables[0]
    lo, hi = span(np, np.concatenate([track[:, 0] for track in tracks]))
    x = np.linspace(lo, hi, 600)
    (values,) = sample([function.expr], [variable], [x])
    ax.plot(x, values, color="0.35", lw=1.8, label=f"f({variable.name}) = {short(function.expr)}")
    finite = values[np.isfinite(values)]
    if finite.size:
        low, high = float(finite.min()), float(finite.max())
        margin = 0.05 * (high - low or 1.0)
        ax.set_ylim(low - margin, high + margin)
    ax.set_xlim(lo, hi)
    ax.set_xlabel(variable.name)
    ax.set_ylabel(f"f({variable.name})")
    markers = []
    for k, ((label, _), track) in enumerate(zip(runs, tracks)):
        (ys,) = sample([function.expr], [variable], [track[:, 0]])
        color = PATH_COLORS[k % len(PATH_COLORS)]
        trail = ax.plot([], [], "-", lw=1, color=color, alpha=0.6)[0]
        point = ax.plot([], [], "o", ms=9, color=color, mec="black", label=label)[0]
        markers.append((trail, point, track[:, 0], ys))
    ax.legend(loc="upper center", fontsize="small")

    def draw(step: int):
        for trail, point, xs, ys in markers:
            k = min(step, len(xs) - 1)
            trail.set_data(xs[: k + 1], ys[: k + 1])
            point.set_data([xs[k]], [ys[k]])
        return [artist for trail, point, _, _ in markers for artist in (trail, point)]

    return draw


def _contours(np, ax, function, runs, tracks):
    contours = path_contours(np, ax, function, np.concatenate(tracks), resolution=200)
    if contours is not None:
        # Every frame redraws the whole figure, and contour polygons would cost most of that: the same
        # bands as one image cost almost nothing.
        filled, (X, Y, values, levels) = contours
        filled.remove()
        # lazy: matplotlib is optional (the plot extra), and require() above has checked for it
        from matplotlib.colors import BoundaryNorm

        norm = BoundaryNorm(levels, 256)
        box = (X.min(), X.max(), Y.min(), Y.max())
        ax.imshow(values, extent=box, origin="lower", cmap="viridis", norm=norm, alpha=0.85, aspect="auto")
    ax.figure.suptitle(f"descent on f = {short(function.expr, 44)}", fontsize="medium")
    paths = []
    for k, ((label, _), track) in enumerate(zip(runs, tracks)):
        color = PATH_COLORS[k % len(PATH_COLORS)]
        line = ax.plot([], [], "-", lw=1.6, color=color, label=label)[0]
        head = ax.plot([], [], "o", ms=7, color=color, mec="black")[0]
        ax.plot(*track[0], "s", ms=8, color=color, mec="black")
        paths.append((line, head, track))
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)

    def draw(step: int):
        for line, head, track in paths:
            k = min(step, len(track) - 1)
            line.set_data(track[: k + 1, 0], track[: k + 1, 1])
            head.set_data([track[k, 0]], [track[k, 1]])
        return [artist for line, head, _ in paths for artist in (line, head)]

    return draw


def _losses(np, ax, runs):
    """More than two variables: f per step, drawn as the run goes."""
    curves = []
    top = max(len(run) for _, run in runs)  # steps, for the axis
    every = np.concatenate([np.asarray(run.values, dtype=float) for _, run in runs])
    finite = every[np.isfinite(every)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    ax.set_xlim(0, max(top - 1, 1))
    ax.set_ylim(low - 0.05 * (high - low or 1.0), high + 0.05 * (high - low or 1.0))
    ax.set_xlabel("step")
    ax.set_ylabel("f")
    for k, (label, run) in enumerate(runs):
        color = PATH_COLORS[k % len(PATH_COLORS)]
        line = ax.plot([], [], "-", lw=1.6, color=color, label=label)[0]
        curves.append((line, np.asarray(run.kept_steps, dtype=float), np.asarray(run.values, dtype=float)))
    ax.legend(fontsize="small")

    def draw(step: int):
        for line, steps, values in curves:
            k = min(step, len(values) - 1)
            line.set_data(steps[: k + 1], values[: k + 1])
        return [line for line, _, _ in curves]

    return draw
