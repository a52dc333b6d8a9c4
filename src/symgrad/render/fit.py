"""Views of a fit: the model and its loss as the material writes them, the curvature before the run,
the step table and summary ``descend`` shows, and after it the fitted and the exact parameters. JSON
streams the steps; CSV is ``descend``'s.
"""

from __future__ import annotations

from rich.console import Group

from symgrad.descent.work import Formulas
from symgrad.expression.floats import number
from symgrad.fit.plan import FitReport
from symgrad.render import descent as views
from symgrad.render import facts, json_number, markup_escape, show
from symgrad.render.descent_data import shown_rows, stream_json, write_csv


def formulas(report_or_plan_model, loss) -> Formulas:
    """The gradient as the worked steps write it: each ∂L/∂θ with its sum, then its value."""
    model = report_or_plan_model
    texts = tuple(text.split(" = ", 1)[1] for text in model.gradient_texts(loss))
    return Formulas(
        model.parameter_names, texts, tuple(t.replace("{", "{{").replace("}", "}}") for t in texts)
    )


def _points(names, values) -> str:
    return ", ".join(f"{name}={number(values[name])}" for name in names)


def before_rows(report: FitReport) -> list[tuple[str, str]]:
    model = report.model
    rows = [
        ("model", f"{model.target} ≈ {model.shown()}"),
        ("parameters", ", ".join(model.parameter_names)),
        (
            "data",
            f"{', '.join(model.feature_names) or '(none)'} → {model.target}, {report.table.rows:,} rows",
        ),
        ("loss", report.loss_text),
    ]
    rows += [("gradient" if i == 0 else "", text) for i, text in enumerate(report.gradient_texts)]
    if report.scaling is not None:
        scaled = ", ".join(
            f"{name} = ({name} − {number(report.scaling.means[name], 6)})/{number(sd, 6)}"
            if report.scaling.means[name]
            else f"{name} = {name}/{number(sd, 6)}"
            for name, sd in report.scaling.deviations.items()
        )
        rows.append(("standardized", scaled))
    curvature = report.curvature
    if curvature is not None:
        text = f"λmax = {number(curvature.largest, 6)}, so lr < 2/λmax = {number(curvature.stable_rate, 6)}"
        if curvature.condition is not None:
            text += f"; condition number {number(curvature.condition, 6)}"
        rows.append(("curvature", text + " (the Hessian of L is constant)"))
    return rows


def after_rows(report: FitReport) -> list[tuple[str, str]]:
    names = report.model.parameter_names
    rows = [("fitted", _points(names, report.final_point))]
    if report.original is not None:
        rows.append(("original units", _points(names, report.original)))
    rows.append(
        (
            "loss",
            f"L = {number(report.final_loss)} over all rows; ‖∇L‖ = {number(report.final_gradient_norm)}",
        )
    )
    if report.r2 is not None:
        rows.append(("R²", number(report.r2, 6)))
    if report.least_squares is not None:
        rows.append(
            (
                "least squares",
                f"{_points(names, report.least_squares)} (distance {number(report.distance, 3)})",
            )
        )
        if report.least_squares_original is not None:
            rows.append(("", f"{_points(names, report.least_squares_original)} in the original units"))
    return rows


def text_view(report: FitReport, every: int | None, summary_only: bool, work: Formulas | None):
    run = report.run
    heading = f"[bold]{run.optimizer}[/] ({markup_escape(views.hyperparameters_text(run))})"
    if report.batch is not None:
        heading += f", batches of {report.batch} rows shuffled each epoch (seed {report.seed})"
    parts = [facts(before_rows(report)), *(f"[yellow]note[/] {markup_escape(n)}" for n in report.notes), ""]
    parts += [heading, ""]
    if not summary_only:
        if work is not None:
            parts += [views.work_view(run, every, work), ""]
        else:
            table = views.fitted(
                lambda digits, without: views.step_table(run, every, digits, without, function="L"),
                views.STEP_LAYOUTS,
            )
            parts += [table, ""]
        hidden = len(run) - len(views.shown_steps(run, every))
        if hidden > 0 and not every:
            parts += [
                f"{hidden} of {len(run)} rows hidden: see them with --every K, or all with --format csv",
                "",
            ]
    parts += [views.summary(report.descent, 0, function="L"), "", facts(after_rows(report))]
    return Group(*parts)


def _steps(report: FitReport, every: int | None):
    run = report.run
    for k in shown_rows(run, every):
        row = run.row(k)
        yield {
            "step": k,
            "point": [json_number(x) for x in row.point],
            "f": json_number(row.value),
            "gradient": [json_number(g) for g in row.gradient],
            "grad_norm": json_number(row.gradient_norm),
        }


def report_json(report: FitReport, steps) -> dict:
    run, model, verdict = report.run, report.model, report.verdict
    names = model.parameter_names
    curvature = report.curvature

    def named(values):
        return None if values is None else {name: json_number(values[name]) for name in names}

    return {
        "model": model.text,
        "loss": report.loss.text,
        "loss_expression": report.loss_text,
        "gradient_expression": dict(zip(names, (t.split(" = ", 1)[1] for t in report.gradient_texts))),
        "parameters": list(names),
        "features": list(model.feature_names),
        "target": model.target,
        "rows": report.table.rows,
        "optimizer": run.optimizer,
        "lr": run.learning_rate,
        "batch": report.batch,
        "seed": report.seed if report.batch is not None else None,
        "status": run.status,
        "reason": run.reason_for("L"),
        "iterations": len(run) - 1,
        "steps": steps,
        "final": {
            "params": named(report.final_point),
            "loss": json_number(report.final_loss),
            "grad_norm": json_number(report.final_gradient_norm),
            "r2": json_number(report.r2),
            "kind": verdict.kind,
            "global": verdict.is_global,
        },
        "least_squares": named(report.least_squares),
        "lr_max_stable": json_number(curvature.stable_rate) if curvature else None,
        "condition_number": json_number(curvature.condition) if curvature else None,
        "warnings": list(report.warnings),
    }


def write_report(report: FitReport, output: str, *, every: int | None, summary: bool, work=None) -> None:
    """Print the fit in ``output`` format: "json", "csv" or "text"."""
    if output == "json":
        stream_json(report_json(report, _steps(report, every)))
    elif output == "csv":
        write_csv(report.descent, every)
    else:
        show(text_view(report, every, summary, work))
