"""The picture of a fit: the data with the fitted curve (one feature) or fitted against actual
(several), beside the loss per step."""

from __future__ import annotations

from symgrad.calculus.grids import require
from symgrad.pictures.figures import new_figure, output_format, save_figure, use_file_backend

# Points drawn at most: a scatter of millions of rows looks the same thinned to this many.
POINTS = 5000


def fit_figure(report, figure=None):
    """Left: the data and the model's curve, or predicted against actual; right: L per step."""
    np = require("numpy")
    figure = figure or new_figure((11.5, 4.6))
    data_axes, loss_axes = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    model, table = report.model, report.table
    target = table.columns[model.target]
    rows = np.linspace(0, len(target) - 1, min(POINTS, len(target))).astype(int)
    point = report.run.final.point
    features = [table.columns[name] for name in model.feature_names]
    predicted = report.predict(point, features)
    if len(features) == 1:
        x = features[0]
        data_axes.scatter(x[rows], target[rows], s=14, color="C0", label="data", zorder=3)
        grid = np.linspace(float(x.min()), float(x.max()), 200)
        data_axes.plot(
            grid, report.predict(point, [grid]), color="C3", lw=2, label=f"fitted: {model.shown()}"
        )
        data_axes.set_xlabel(model.feature_names[0])
        data_axes.set_ylabel(model.target)
        data_axes.set_title("the data and the fitted model")
    else:
        data_axes.scatter(target[rows], predicted[rows], s=10, color="C0", label="rows", zorder=3)
        low, high = float(min(target.min(), predicted.min())), float(max(target.max(), predicted.max()))
        data_axes.plot([low, high], [low, high], color="0.5", ls="--", label="fitted = actual")
        data_axes.set_xlabel(f"actual {model.target}")
        data_axes.set_ylabel(f"fitted {model.target}")
        data_axes.set_title("fitted against actual")
    data_axes.legend(fontsize="small")
    data_axes.grid(alpha=0.3)
    values = np.asarray(report.run.values, dtype=float)
    steps = np.arange(len(values))
    positive = bool((values > 0).all())
    loss_axes.plot(steps, values, color="C3", lw=1.6)
    if positive:
        loss_axes.set_yscale("log")
    loss_axes.set_xlabel("step")
    loss_axes.set_ylabel("L (log scale)" if positive else "L")
    loss_axes.set_title("loss L per step")
    loss_axes.grid(alpha=0.3, which="both")
    return figure


def check_fit_plot(path: str) -> None:
    """Fail before the fit when ``path`` is no .png, .svg or .pdf, or matplotlib is missing."""
    output_format(path, "--plot")
    require("matplotlib")


def save_fit_plot(report, path: str):
    use_file_backend()
    figure = fit_figure(report)
    save_figure(figure, path)
    return figure
