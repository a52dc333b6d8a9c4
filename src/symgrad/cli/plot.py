"""``symgrad plot``: a curve and its slope, or a gradient field, as an image or in the terminal."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from symgrad.cli.app import command
from symgrad.cli.options import (
    Definitions,
    Format,
    Timeout,
    Variables,
    expression_argument,
    expression_text,
    format_option,
)
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit
from symgrad.errors import InputError


@command(
    "plot",
    """Draw f with its derivative (one variable) or its gradient field (two variables).

    \b
    Example:
      symgrad plot "x**3-3*x" --out curve.png
      (f, f′ and the critical points x=±1)

    Without --out the chart is drawn in the terminal. With more than two variables fix the
    others with --at, e.g. --at z=1.
    """,
    "Draw f and f', or contours with the gradient field.",
)
def plot(
    expression: expression_argument("x**2+y**2"),
    *,
    out: Annotated[
        str | None, typer.Option("--out", "-o", help="Write the picture to FILE (.png, .svg or .pdf).")
    ] = None,
    ranges: Annotated[
        list[str] | None,
        typer.Option("--range", help="The range of a variable, VAR=LO:HI (e.g. x=-2:2). Repeatable."),
    ] = None,
    at: Annotated[str | None, typer.Option(help="Hold other variables fixed, e.g. z=1 (a slice).")] = None,
    second: Annotated[bool, typer.Option("--second", help="Also draw f″ (one variable).")] = False,
    tangent: Annotated[
        str | None,
        typer.Option("--tangent", help="Draw the tangent line at this point, e.g. x=1 (one variable)."),
    ] = None,
    surface: Annotated[
        bool, typer.Option("--surface", help="Add a 3-D surface beside the contours (two variables).")
    ] = False,
    show: Annotated[bool, typer.Option("--show", help="Open a window (needs a display).")] = False,
    dpi: Annotated[
        int, typer.Option("--dpi", min=10, max=1200, help="Pixels per inch of a PNG (--out f.png).")
    ] = 150,
    output: format_option(Format.text, Format.json) = Format.text,
    variables: Variables = None,
    let: Definitions = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
):
    # lazy: SymPy, NumPy and the plotting libraries, none of which `symgrad --help` may load
    from symgrad.calculus.grids import require
    from symgrad.pictures import figures as plotting
    from symgrad.pictures import terminal as terminal_plot
    from symgrad.pictures.plot_data import CurvePlot, prepare_plot
    from symgrad.pictures.plot_json import plot_json

    if out is not None:
        plotting.output_format(out)
    if out is not None or show:
        require("matplotlib")
        if show and not plotting.has_display():
            raise InputError("--show needs a display (none here); save an image with --out plot.png")
        if not show:
            plotting.use_file_backend()
    color, columns = terminal_plot.terminal_style(sys.stdout.isatty())
    with time_limit(timeout):
        data = prepare_plot(
            expression_text(expression),
            ranges=ranges or (),
            at=at,
            variables=variables,
            second=second,
            let=let or (),
            tangent=tangent,
        )
        if surface and isinstance(data, CurvePlot):
            raise InputError("--surface draws a function of two variables; this one has one")
        if out is not None:
            plotting.save_figure(plotting.plot_figure(data, surface), out, dpi)
        if output == Format.json:
            print(plot_json(data))  # the data alone: a program reads it
            return
        if out is not None:
            print(f"wrote {out}")
        elif not show:
            chart = terminal_plot.curve_chart if isinstance(data, CurvePlot) else terminal_plot.field_chart
            print(chart(data, width=columns, color=color))
    print("\n".join(terminal_plot.summary_lines(data)))
    if out is None and not show:
        print("save it as an image with --out plot.png (or .svg, .pdf)")
    if show:
        plotting.show_figure(lambda figure: plotting.plot_figure(data, surface, figure))
