"""``plot --format json``: the sampled data and the features a picture shows, for other tools.

Schema: ``{"expression", "variables", "range": {name: [lo, hi]}, "curves" | "grid", "features"}``;
curves are ``{"name", "expression", "x", "y"}`` with null where a value does not exist; a grid is
``{"x", "y", "f"}`` with f's rows following y; features are ``{"kind", "at": {name: value}}``.
"""

from __future__ import annotations

import json
import math

from symgrad.expression.printing import to_text
from symgrad.pictures.plot_data import CurvePlot, FieldPlot, mark

# Every this-many-th sample of a field's grid: 161² numbers are more than anyone draws from JSON.
FIELD_STRIDE = 2


def _numbers(values) -> list:
    return [float(v) if math.isfinite(v) else None for v in values]


def plot_dict(plot: CurvePlot | FieldPlot) -> dict:
    """The plot as plain data (see the module's schema)."""
    if isinstance(plot, CurvePlot):
        names = (plot.variable.name,)
        x = plot.x
        curves = [("f", plot.expr, plot.values), ("f′", plot.derivative, plot.slopes)]
        if plot.curvatures is not None:
            curves.append(("f″", plot.second, plot.curvatures))
        if plot.tangent is not None:
            curves.append(("tangent", plot.tangent.line, plot.tangent.ys))
        data = {
            "range": {names[0]: [float(x[0]), float(x[-1])]},
            "curves": [
                {"name": n, "expression": to_text(e), "x": _numbers(x), "y": _numbers(ys)}
                for n, e, ys in curves
            ],
        }
        extra = [{"kind": f.kind, "at": {names[0]: f.at[0]}} for f in plot.features]
    else:
        names = plot.names
        step = FIELD_STRIDE
        data = {
            "range": {
                names[0]: [float(plot.x[0]), float(plot.x[-1])],
                names[1]: [float(plot.y[0]), float(plot.y[-1])],
            },
            "grid": {
                "x": _numbers(plot.x[::step]),
                "y": _numbers(plot.y[::step]),
                "f": [_numbers(row) for row in plot.values[::step, ::step]],
            },
        }
        extra = []
    critical = [
        {"kind": mark(c), "at": dict(zip(names, (float(v) for v in c.numeric))), "f": float(c.value_numeric)}
        for c in plot.critical
    ]
    return {
        "expression": to_text(plot.expr),
        "variables": list(names),
        **data,
        "features": sorted(critical + extra, key=lambda f: tuple(f["at"].values())),
        "range_chosen": plot.range_reason or None,
    }


def plot_json(plot: CurvePlot | FieldPlot) -> str:
    """``plot_dict`` as one line of JSON (null, never NaN, where a value does not exist)."""
    return json.dumps(plot_dict(plot), ensure_ascii=False, allow_nan=False)
