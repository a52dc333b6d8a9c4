"""Matplotlib figures: a curve with its derivative, a gradient field, a descent path.

Every builder returns the Figure before anything is saved, so tests can look inside it. Figures are
made with ``matplotlib.figure.Figure`` and never through pyplot, so no display is ever needed.

>>> from symgrad.pictures.plot_data import prepare_plot
>>> figure = plot_figure(prepare_plot("x**2"))
>>> [line.get_label() for line in figure.axes[0].get_lines()][1:3]
['f(x) = x²', 'f′(x) = 2x']
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from symgrad.calculus.grids import require, sample
from symgrad.errors import InputError, MathError
from symgrad.expression.readable import readable
from symgrad.pictures.plot_data import CurvePlot, FieldPlot, describe_fixed, mark

FORMATS = ("png", "svg", "pdf")
DPI = 150
# Okabe and Ito's colour-blind-safe palette (blue, vermillion, bluish green, reddish purple, orange,
# sky blue): every pair stays apart for the common colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_MARKERS = {
    "minimum": ("o", "#009E73"),
    "maximum": ("^", "#D55E00"),
    "saddle point": ("X", "#E69F00"),
    "critical point": ("s", "#999999"),
}
# Files that embed fonts as TrueType (journals refuse Type 3), keep SVG text as text (selectable,
# and 50 KB rather than 500), and carry no date or random id, so one command gives one file.
FILE_SETTINGS = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none", "svg.hashsalt": "symgrad"}
_NO_DATES = {"pdf": {"CreationDate": None, "ModDate": None}, "svg": {"Date": None}, "png": {}}
_PLURAL = {
    "minimum": "minima",
    "maximum": "maxima",
    "saddle point": "saddle points",
    "critical point": "critical points",
}


CONTOUR_LIMIT = 1e200


def output_format(path: str, option: str = "--out", formats: tuple[str, ...] = FORMATS) -> str:
    """png, svg or pdf (or another of ``formats``) from the file name; anything else is an input error."""
    if Path(path).is_dir():
        raise InputError(
            f"{option} {path} is a folder: give a file name in it, such as {Path(path) / 'plot.png'}"
        )
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in formats:
        names = ", ".join(f".{name}" for name in formats[:-1]) + f" or .{formats[-1]}"
        raise InputError(f"{option} {path}: the file name must end in {names} (the image format)")
    folder = Path(path).parent
    if not folder.is_dir():
        raise InputError(f"{option} {path}: there is no folder {folder}; create it or choose another")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{option} {path}: the folder {folder} is not writable; choose another")
    return suffix


def new_figure(figsize):
    require("matplotlib")
    # lazy: matplotlib is optional (the plot extra); require() has said how to install it
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def short(expr, limit: int = 48) -> str:
    """An expression as text for a legend, cut with … when long."""
    text = expr if isinstance(expr, str) else readable(expr)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def typed(text: str, limit: int = 60) -> str:
    """What the user typed, in readable maths: (1-x)**2+100*(y-x**2)**2 → (1 − x)² + 100·(y − x²)²."""
    out = re.sub(
        r"\*\*(-?\d+)(?![.\d])", lambda m: m.group(1).translate(_SUPERSCRIPTS), text.replace(" ", "")
    )
    out = re.sub(r"(?<=\d)\*(?=[A-Za-z(])", "", out)  # 2*x → 2x
    out = out.replace("**", "^").replace("*", "·")
    out = re.sub(r"(?<=[\w)²³⁴⁵⁶⁷⁸⁹⁰¹])([+-])", lambda m: f" {'−' if m.group(1) == '-' else '+'} ", out)
    out = out.replace("-", "−")
    return short(out, limit)


def plot_figure(plot: CurvePlot | FieldPlot, surface: bool = False, figure=None):
    """The figure for a prepared plot: a curve for one variable, a field for two."""
    if isinstance(plot, CurvePlot):
        if surface:
            raise InputError("--surface draws a function of two variables; this one has one")
        return curve_figure(plot, figure)
    return field_figure(plot, surface, figure)


def curve_figure(plot: CurvePlot, figure=None):
    """f and f′ (and f″) on the same axes, critical points marked where f′ crosses zero."""
    fig = figure or new_figure((8.6, 4.6))
    ax = fig.add_subplot()
    name = plot.variable.name
    ax.axhline(0, color="0.55", lw=0.8, zorder=1)
    ax.plot(plot.x, plot.values, color=OKABE_ITO[0], lw=2.2, label=f"f({name}) = {short(plot.expr)}")
    ax.plot(
        plot.x,
        plot.slopes,
        color=OKABE_ITO[1],
        lw=1.8,
        ls="--",
        label=f"f′({name}) = {short(plot.derivative)}",
    )
    if plot.curvatures is not None:
        ax.plot(
            plot.x,
            plot.curvatures,
            color=OKABE_ITO[2],
            lw=1.5,
            ls=":",
            label=f"f″({name}) = {short(plot.second)}",
        )
    if plot.tangent is not None:
        t = plot.tangent
        ax.plot(
            plot.x,
            t.ys,
            color=OKABE_ITO[3],
            lw=1.4,
            label=f"tangent at {name}={short(t.at)}: y = {short(t.line)}",
        )
        ax.plot([float(t.at)], [t.value], "o", color=OKABE_ITO[3], zorder=6)
    _mark_critical(ax, plot.critical, lambda c: (c.numeric[0], c.value_numeric))
    if plot.critical:
        xs = [c.numeric[0] for c in plot.critical]
        ax.vlines(xs, 0, [c.value_numeric for c in plot.critical], colors="0.45", linestyles=":", lw=1)
    ax.set_xlim(plot.x[0], plot.x[-1])
    if plot.y_view:
        ax.set_ylim(*plot.y_view)
    ax.set_xlabel(name)
    ax.set_ylabel(f"f({name}), f′({name})" + (f", f″({name})" if plot.curvatures is not None else ""))
    ax.set_title(f"f({name}) = {typed(plot.function.text)}{describe_fixed(plot.fixed)} and its slope")
    ax.grid(alpha=0.3)
    # Beside the axes, never over the curves.
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0, fontsize="small", frameon=False)
    return fig


def _mark_critical(ax, critical, where, zorder=5):
    for kind, (marker, color) in _MARKERS.items():
        points = [where(c) for c in critical if mark(c) == kind]
        if points:
            xs, ys = zip(*points)
            label = kind if len(points) == 1 else _PLURAL[kind]
            ax.plot(
                xs,
                ys,
                ls="none",
                marker=marker,
                ms=9,
                color=color,
                mec="black",
                mew=0.8,
                label=label,
                zorder=zorder,
            )


def field_figure(plot: FieldPlot, surface: bool = False, figure=None):
    """Filled contours of f with the gradient field as arrows; beside it the surface on request."""
    np = require("numpy")
    fig = figure or new_figure((12.5, 5.2) if surface else (7.2, 5.8))
    ax = fig.add_subplot(1, 2, 1) if surface else fig.add_subplot()
    (x_name, y_name), f_name = plot.names, plot.f_name
    from matplotlib.ticker import MaxNLocator  # lazy: matplotlib is optional (the plot extra)

    low, high = plot.z_view
    if max(abs(low), abs(high)) > CONTOUR_LIMIT:  # matplotlib's contours overflow past about 1e250
        raise MathError(
            f"f reaches {max(abs(low), abs(high)):.1e} in this range, too large to draw as contours: "
            "choose a smaller --range"
        )
    levels = MaxNLocator(nbins=24).tick_values(low, high)
    # Values far outside the view only take the end colours; clipped, they cannot overflow.
    values = np.clip(plot.values, low - (high - low), high + (high - low))
    with np.errstate(all="ignore"):
        # No extend="both": the view holds every value drawn, there is nothing beyond it to point at.
        filled = ax.contourf(plot.x, plot.y, values, levels=levels, cmap="viridis")
        # The shading as an image inside SVG and PDF: its thousands of polygon edges would make the
        # file ten times larger, and the lines, arrows and text on top stay vectors.
        filled.set_rasterized(True)
        lines = ax.contour(
            plot.x,
            plot.y,
            values,
            levels=levels[::3],
            colors="black",
            linewidths=0.5,
            alpha=0.45,
        )
        for label in ax.clabel(lines, levels=lines.levels[::2], fontsize=7, fmt="%g", colors="black"):
            label.set_zorder(5)  # above the arrows, and solid where the lines are faint
            label.set_alpha(1.0)
    fig.colorbar(filled, ax=ax, label=f_name)
    _quiver(np, ax, plot)
    _mark_critical(ax, plot.critical, lambda c: c.numeric, zorder=6)
    ax.set_xlim(plot.x[0], plot.x[-1])
    ax.set_ylim(plot.y[0], plot.y[-1])
    width, height = plot.x[-1] - plot.x[0], plot.y[-1] - plot.y[0]
    if 0.5 <= width / height <= 2:
        ax.set_aspect("equal")  # so the arrows are seen to cross the contours at right angles
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    ax.set_title(f"{f_name} = {typed(plot.function.text, 50)}{describe_fixed(plot.fixed)}")
    # Under the axes, off the arrows.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, fontsize="small", frameon=False)
    if surface:
        _surface(np, fig.add_subplot(1, 2, 2, projection="3d"), plot)
    return fig


def _quiver(np, ax, plot: FieldPlot):
    X, Y, gx, gy = plot.arrows
    width, height = plot.x[-1] - plot.x[0], plot.y[-1] - plot.y[0]
    with np.errstate(all="ignore"):
        # Directions are taken on the axes' own scale, and lengths grow with √‖∇f‖ so that small
        # gradients still show an arrow while the steep parts do not swamp the picture.
        nx, ny = gx / width, gy / height
        across = np.hypot(nx, ny)
        magnitude = np.hypot(gx, gy)
        top = np.nanmax(magnitude) if np.isfinite(magnitude).any() else 0.0
        relative = np.sqrt(magnitude / top) if top > 0 else np.zeros_like(magnitude)
        step = 0.9 / (X.shape[1] - 1)
        u = np.where(across > 0, nx / across, 0.0) * width * step * relative
        v = np.where(across > 0, ny / across, 0.0) * height * step * relative
    ax.quiver(
        X,
        Y,
        u,
        v,
        angles="xy",
        scale_units="xy",
        scale=1,
        color="white",
        edgecolor="black",
        linewidth=0.3,
        width=0.004,
        headwidth=4,
        zorder=4,
    )
    ax.plot(
        [],
        [],
        ls="none",
        marker=r"$\rightarrow$",
        ms=12,
        color="black",
        label="arrows: ∇f, length ∝ √‖∇f‖ (uphill)",
    )


def _surface(np, ax, plot: FieldPlot):
    step = max(1, len(plot.x) // 60)
    X, Y = np.meshgrid(plot.x[::step], plot.y[::step])
    Z = plot.values[::step, ::step].copy()
    lo, hi = plot.z_view
    with np.errstate(invalid="ignore"):
        Z[(Z < lo) | (Z > hi)] = np.nan  # spikes near a pole would flatten the rest
    ax.plot_surface(X, Y, Z, cmap="viridis", vmin=lo, vmax=hi, linewidth=0, antialiased=True)
    for c in plot.critical:
        marker, color = _MARKERS[mark(c)]
        ax.scatter(*c.numeric, c.value_numeric, marker=marker, s=50, color=color, edgecolors="black")
    x_name, y_name = plot.names
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    ax.set_zlabel(plot.f_name)
    ax.set_title("surface")


def save_figure(figure, path: str, dpi: int = DPI) -> str:
    """Write ``figure`` to ``path`` in the format its extension names; the path as written.

    The same figure always gives the same bytes (no dates, fixed ids) and PDFs embed TrueType fonts.
    """
    fmt = output_format(path)
    # lazy: matplotlib is optional (the plot extra)
    import matplotlib

    def write(temporary: str) -> None:
        with matplotlib.rc_context(FILE_SETTINGS):
            figure.savefig(temporary, format=fmt, dpi=dpi, metadata=_NO_DATES[fmt])

    return save_atomically(path, write)


def save_atomically(path: str, write: Callable[[str], object]) -> str:
    """Have ``write(temporary)`` write a file beside ``path``, then rename it into place; the path.

    A reader never sees a half-written file, and runs writing the same path at once leave one whole
    file (the last to finish). The temporary file keeps ``path``'s extension, for writers that choose
    the format by it, and is removed if ``write`` fails. A symbolic link at ``path`` is replaced,
    never written through. Failing to write is an InputError that names the file.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp{target.suffix}")
    try:
        # Created as open() creates files (0o666 less the umask), and never over an existing one.
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        write(os.fspath(temporary))
        os.replace(temporary, target)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return os.fspath(path)


def show_figure(build) -> None:
    """Open a window with the figure ``build(figure)`` draws; an input error when there is no display."""
    require("matplotlib")
    if not has_display():
        raise InputError("--show needs a display (none here); save an image with --out plot.png")
    # lazy: pyplot looks for a display when imported, and matplotlib is optional (the plot extra)
    import matplotlib.pyplot as pyplot

    build(pyplot.figure(figsize=(8, 6), layout="constrained"))
    pyplot.show()


def has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def use_file_backend() -> None:
    """Choose Agg before pyplot can be imported, so that nothing looks for a display."""
    matplotlib = require("matplotlib")
    matplotlib.use("Agg")


# Okabe and Ito's colours, the brightest first: they stay apart for colour-blind readers too.
PATH_COLORS = ("#D55E00", "#56B4E9", "#F0E442", "#CC79A7", "#009E73", "#E69F00")


def span(np, coordinates):
    """A range around all iterates with a margin (at least ±1 around a single point)."""
    finite = coordinates[np.isfinite(coordinates) & (np.abs(coordinates) < 1e12)]
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    margin = max(0.15 * (hi - lo), 1.0 if hi - lo < 1e-9 else 0.0)
    return lo - margin, hi + margin


def path_contours(np, ax, function, points, resolution: int = 160):
    """Filled contours of f(x, y) over the box around ``points`` (rows of x, y), with levels at
    quantiles of f so the whole valley shows, not only its steep walls; the filled set or None."""
    x_var, y_var = function.variables
    x_lo, x_hi = span(np, points[:, 0])
    y_lo, y_hi = span(np, points[:, 1])
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    (values,) = sample([function.expr], [x_var, y_var], [X, Y])
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel(x_var.name)
    ax.set_ylabel(y_var.name)
    finite = values[np.isfinite(values)]
    levels = np.unique(np.percentile(finite, np.linspace(0, 100, 22))) if finite.size else []
    if len(levels) < 2:
        return None
    return ax.contourf(X, Y, values, levels=levels, cmap="viridis", alpha=0.85), (X, Y, values, levels)
