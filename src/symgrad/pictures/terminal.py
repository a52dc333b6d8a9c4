"""Plots for a terminal: a text chart of f and f′ (plotext), a character map of f(x, y), a summary.

The summary says what a plot shows in words, so it is printed beside every chart and image.
"""

from __future__ import annotations

import math
import os
import shutil

from symgrad.calculus.grids import require
from symgrad.errors import InputError
from symgrad.expression.floats import number
from symgrad.expression.readable import readable
from symgrad.pictures.plot_data import CurvePlot, FieldPlot, describe_fixed, mark

# From the lowest values of f to the highest.
SHADES = " .:-=+*#%@"
_SYMBOLS = {"minimum": "o", "maximum": "^", "saddle point": "x", "critical point": "s"}


# The gradient's direction, by eighths of a turn from east, anticlockwise.
ARROWS = "→↗↑↖←↙↓↘"
NARROWEST = 40
WIDEST = 78


def terminal_style(is_terminal: bool) -> tuple[bool, int]:
    """Colour (a terminal, and NO_COLOR unset: no-color.org) and the columns a chart may use."""
    color = is_terminal and not os.environ.get("NO_COLOR")
    columns = shutil.get_terminal_size((WIDEST + 2, 24)).columns
    return color, max(NARROWEST, min(WIDEST, columns))


def round_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Ticks on a 1, 2 or 5 step inside [lo, hi]: −2, 0, 2 rather than −2.8, 3.8, 10.4."""
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    ticks = [(first + i) * step for i in range(int((hi - lo) / step + 1e-9) + 2)]
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks if lo - 1e-9 * step <= t <= hi + 1e-9 * step]


def _round(value: float) -> str:
    return number(value, 6)


def summary_lines(plot: CurvePlot | FieldPlot) -> list[str]:
    """What the plot shows: the function, its derivatives, the ranges and the critical points."""
    fixed = describe_fixed(plot.fixed)
    if isinstance(plot, CurvePlot):
        name = plot.variable.name
        lines = [
            f"f({name}) = {readable(plot.expr)}{fixed}",
            f"f′({name}) = {readable(plot.derivative)}",
        ]
        if plot.second is not None:
            lines.append(f"f″({name}) = {readable(plot.second)}")
        if plot.tangent is not None:
            lines.append(f"tangent at {name}={readable(plot.tangent.at)}: y = {readable(plot.tangent.line)}")
        lines.append(f"{name} from {_round(plot.x[0])} to {_round(plot.x[-1])}{_chosen(plot)}")
        names = (name,)
    else:
        x_name, y_name = names = plot.names
        gradient = ", ".join(readable(g) for g in plot.gradient)
        lines = [
            f"{plot.f_name} = {readable(plot.expr)}{fixed}",
            f"∇f = [{gradient}]",
            f"{x_name} from {_round(plot.x[0])} to {_round(plot.x[-1])}, "
            f"{y_name} from {_round(plot.y[0])} to {_round(plot.y[-1])}{_chosen(plot)}",
        ]
    for point in plot.critical[:12]:
        where = ", ".join(f"{n}={_round(v)}" for n, v in zip(names, point.numeric))
        lines.append(f"{mark(point)} at {where}, f={_round(point.value_numeric)}")
    if len(plot.critical) > 12:
        lines.append(f"… and {len(plot.critical) - 12} more critical points")
    if not plot.critical:
        lines.append("no critical point in the range")
    return lines


def _chosen(plot) -> str:
    """Why symgrad chose the range, said beside it; nothing after --range."""
    if not plot.range_reason:
        return ""
    chosen = "" if plot.range_reason.startswith("the default") else "chosen "
    return f" ({chosen}{plot.range_reason}; set it with --range)"


def curve_chart(plot: CurvePlot, width: int = WIDEST, height: int = 22, color: bool = False) -> str:
    """f, f′ (and f″) as a text chart; gaps where a value does not exist. The legend is a line under
    the chart, where it covers nothing; theme "simple" paints no background, so the chart sits on
    the terminal's own, light or dark."""
    require("numpy")
    plotext = require("plotext")
    figure = getattr(plotext, "figure", None)
    if figure is None or not hasattr(figure, "signal"):
        raise _old_plotext()
    name = plot.variable.name
    figure.clear()
    figure.theme("simple")
    figure.plot_size(width, height)
    curves = [(f"f({name})", plot.values, "hd"), (f"f′({name})", plot.slopes, ".")]
    if plot.curvatures is not None:
        curves.append((f"f″({name})", plot.curvatures, ":"))
    lo, hi = plot.y_view or (-1.0, 1.0)
    # One signal per curve, so each curve keeps one colour from the theme's sequence; the line is
    # broken between the runs of values inside the view, so a gap or a pole is not bridged.
    for _, values, marker in curves:
        runs = list(_segments(plot.x, values, lo, hi))
        if not runs:
            continue
        signal = figure.signal(
            [x for xs, _ in runs for x in xs], [y for _, ys in runs for y in ys], marker=marker
        ).lines()
        end = 0
        for xs, _ in runs[:-1]:
            end += len(xs)
            signal.line(end, False)  # no line from the previous point to point `end`
        figure.draw(signal)
    legend = [f"{'▚' if marker == 'hd' else marker} {label}" for label, _, marker in curves]
    for kind, symbol in _SYMBOLS.items():
        points = [c for c in plot.critical if mark(c) == kind and lo <= c.value_numeric <= hi]
        if points:
            xs, ys = [c.numeric[0] for c in points], [c.value_numeric for c in points]
            figure.draw(figure.signal(xs, ys, marker=symbol))
            legend.append(f"{symbol} {kind}")
    legend = [_paint(key, n) if color else key for n, key in enumerate(legend)]
    figure.title(f"f({name}) = {readable(plot.expr)}{describe_fixed(plot.fixed)}"[: width - 4])
    figure.label(name)
    x_lo, x_hi = float(plot.x[0]), float(plot.x[-1])
    figure.ruler("x").lim(x_lo, x_hi)
    figure.ruler("y").lim(lo, hi)
    for axis, (a, b) in (("x", (x_lo, x_hi)), ("y", (lo, hi))):
        ticks = round_ticks(a, b, 5 if axis == "y" or width >= 60 else 4)
        figure.ruler(axis).ticks(ticks, [number(t, 4) for t in ticks])
    text = figure.build().string(colorless=not color)
    figure.clear()
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join([*lines, "  ".join(legend)])


# The first colours of plotext's "simple" theme, in the order the signals are drawn.
_SEQUENCE = (12, 10, 9, 14, 13, 11)


def _paint(key: str, n: int) -> str:
    """A legend key's symbol in the colour its curve was drawn in (256-colour escape codes)."""
    symbol, _, label = key.partition(" ")
    return f"\x1b[38;5;{_SEQUENCE[n % len(_SEQUENCE)]}m{symbol}\x1b[0m {label}"


def _old_plotext():
    return InputError("the terminal chart needs plotext 6.1 or newer: pip install 'symgrad[plot]'")


def _segments(x, values, lo, hi):
    """Runs of finite values inside the view, so a gap or a pole is not bridged by a line."""
    np = require("numpy")
    inside = np.isfinite(values) & (values >= lo) & (values <= hi)
    edges = np.flatnonzero(np.diff(np.r_[0, inside.astype(int), 0]))
    for start, stop in zip(edges[::2], edges[1::2]):
        yield [float(v) for v in x[start:stop]], [float(v) for v in values[start:stop]]


def field_chart(plot: FieldPlot, width: int = 64, height: int = 24, color: bool = False) -> str:
    """A character map of f(x, y) in ``width`` columns: darker characters for higher f, the gradient's
    direction as arrows on a coarser grid over them, critical points marked. Plain text (no colour)."""
    np = require("numpy")
    lo, hi = plot.z_view
    x0, x1, y0, y1 = plot.x[0], plot.x[-1], plot.y[0], plot.y[-1]
    x_name, y_name = plot.names
    top, bottom = f"{y_name}={_round(y1)}", f"{y_name}={_round(y0)}"
    margin = max(len(top), len(bottom)) + 1
    width = max(10, width - margin - 2)
    cols = np.linspace(0, len(plot.x) - 1, width).round().astype(int)
    rows = np.linspace(len(plot.y) - 1, 0, height).round().astype(int)  # top row is the highest y
    grid = plot.values[np.ix_(rows, cols)]
    with np.errstate(invalid="ignore"):
        level = np.clip(((grid - lo) / (hi - lo) * len(SHADES)).astype(float), 0, len(SHADES) - 1)
    chars = [[SHADES[int(v)] if np.isfinite(v) else "?" for v in row] for row in level]
    _draw_arrows(np, plot, chars, rows, cols)
    for point in plot.critical:
        col = int(round((point.numeric[0] - x0) / (x1 - x0) * (width - 1)))
        row = int(round((y1 - point.numeric[1]) / (y1 - y0) * (height - 1)))
        chars[row][col] = _SYMBOLS[mark(point)]
    lines = [f"{plot.f_name} = {readable(plot.expr)}{describe_fixed(plot.fixed)}"[: width + margin + 2]]
    for i, row in enumerate(chars):
        side = top if i == 0 else bottom if i == height - 1 else ""
        lines.append(f"{side:>{margin - 1}} |{''.join(row)}|")
    left, right = f"{x_name}={_round(x0)}", f"{x_name}={_round(x1)}"
    lines.append(" " * (margin + 1) + left + right.rjust(width - len(left)))
    marks = "  ".join(f"{s} {k}" for k, s in _SYMBOLS.items() if any(mark(c) == k for c in plot.critical))
    lines.append(f"shades '{SHADES}': f from {number(lo, 3)} to {number(hi, 3)}; ? undefined")
    lines.append("arrows → ↗ ↑ …: the direction of ∇f (uphill)")
    if marks:
        lines.append(marks)
    return "\n".join(line.rstrip() for line in lines)


def _draw_arrows(np, plot: FieldPlot, chars, rows, cols, every: tuple[int, int] = (3, 6)) -> None:
    """An arrow glyph for ∇f's direction (on the picture's own scale) every few rows and columns."""
    with np.errstate(all="ignore"):
        gy, gx = np.gradient(plot.values, plot.y, plot.x)
    # Directions as drawn: a step of the chart's row height and column width, not of x and y.
    scale_x = len(cols) / (plot.x[-1] - plot.x[0])
    scale_y = len(rows) / (plot.y[-1] - plot.y[0]) * 2  # a character is about twice as tall as wide
    for i in range(every[0] // 2, len(rows), every[0]):
        for j in range(every[1] // 2, len(cols), every[1]):
            dx, dy = gx[rows[i], cols[j]] / scale_x, gy[rows[i], cols[j]] / scale_y
            if np.isfinite(dx) and np.isfinite(dy) and (dx or dy):
                chars[i][j] = ARROWS[int(round(math.atan2(dy, dx) / (math.pi / 4))) % 8]
