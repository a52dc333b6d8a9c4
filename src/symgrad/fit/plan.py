"""Set up and run ``symgrad fit``: read the data and the model, compile the loss, descend with
``descend``'s loop, and put the facts a learner needs around the run.

>>> report = run_fit("w*size", "examples/houses.csv", target="price", learning_rate=1e-5)
>>> round(report.final_point["w"], 6), round(report.least_squares["w"], 12)
(2.0, 2.0)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from symgrad.analysis.landscape import Verdict
from symgrad.descent.loop import Problem, run_optimizer
from symgrad.descent.plan import DescentReport
from symgrad.descent.settings import DescentSettings
from symgrad.errors import InputError
from symgrad.expression.points import read_point
from symgrad.expression.reading import Expression
from symgrad.fit import facts
from symgrad.fit.batches import BatchedLoss, Batches
from symgrad.fit.compiled import RowLoss
from symgrad.fit.data import Table, read_header, read_table
from symgrad.fit.losses import Loss, read_loss
from symgrad.fit.model import Model, read_model


@dataclass(frozen=True)
class FitRequest:
    """What ``fit`` is asked: the model, the data, the loss and how to take the rows."""

    model: str
    data: str  # a file name, or "-" for standard input
    target: str
    params: str | None = None
    loss: str = "mse"
    start: str | None = None
    standardize: bool = False
    batch: int | None = None
    seed: int = 0
    stdin: object = None  # the stream "-" reads (default sys.stdin)


@dataclass(frozen=True)
class FitReport:
    """A fit: the descent (a one-run DescentReport over the parameters) and the facts around it."""

    model: Model
    loss: Loss
    table: Table
    row_loss: RowLoss
    descent: DescentReport
    batch: int | None
    seed: int
    loss_text: str
    gradient_texts: tuple[str, ...]
    final_loss: float
    final_gradient_norm: float
    verdict: Verdict
    curvature: facts.Curvature | None = None  # before the run: constant for a linear model with MSE
    r2: float | None = None
    least_squares: dict[str, float] | None = None
    scaling: facts.Scaling | None = None
    original: dict[str, float] | None = None  # fitted parameters in the original units
    least_squares_original: dict[str, float] | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def run(self):
        return self.descent.runs[0]

    @property
    def final_point(self) -> dict[str, float]:
        return dict(zip(self.model.parameter_names, self.run.final.point))

    @property
    def distance(self) -> float | None:
        """‖θ − θ_lstsq‖ between the fitted and the least-squares parameters."""
        if self.least_squares is None:
            return None
        return float(np.hypot.reduce([self.final_point[k] - v for k, v in self.least_squares.items()]))

    def predict(self, point, features) -> np.ndarray:
        """The model's prediction at each row of ``features`` (original units: the standardization is
        applied here), as a probability for logistic on σ(z)."""
        if self.scaling is not None:
            names = self.model.feature_names
            features = [
                (c - self.scaling.means[n]) / self.scaling.deviations[n] for n, c in zip(names, features)
            ]
        u = np.broadcast_to(self.row_loss.predict(point, features), np.shape(features[0]) if features else ())
        return 1 / (1 + np.exp(-u)) if self.model.inner(self.loss)[1] else u

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.notes + self.descent.warnings(0) + ((self.run.advice,) if self.run.advice else ())


@dataclass(frozen=True)
class FitPlan:
    """The compiled loss on the data, the start and settings: everything the float loop needs."""

    request: FitRequest
    model: Model
    loss: Loss
    table: Table
    row_loss: RowLoss
    columns: tuple  # the features in order, then the target, standardized when asked
    start: tuple[float, ...]
    scaling: facts.Scaling | None
    form: object  # facts.linear_form of the model, or None

    def batches(self) -> Batches:
        return Batches(rows=self.table.rows, size=self.request.batch, seed=self.request.seed)

    @property
    def mse_linear(self) -> bool:
        return self.loss.name == "mse" and self.model.is_linear(self.loss)

    def curvature(self, point) -> facts.Curvature | None:
        return facts.Curvature.of(self.row_loss.hessian(point, self.columns))

    def run(self, settings: DescentSettings, progress: Callable[[int, int], None] | None = None) -> FitReport:
        """One descent of ``settings``' first optimizer, then the facts."""
        loss = BatchedLoss(self.row_loss, self.columns, self.batches())
        curvature = self.curvature(self.start)
        names = self.model.parameter_names
        problem = Problem(loss, self.start, names, curvature.largest if curvature else None, loss.whole)
        began = time.perf_counter()
        trajectory = run_optimizer(problem, settings.optimizers[0], settings, progress)
        seconds = time.perf_counter() - began
        function = Expression(self.model.text, self.model.expr, self.model.parameters)
        descent = DescentReport(function, (trajectory,), (seconds,))
        return self._report(descent, loss, curvature if self.mse_linear else None)

    def _report(self, descent: DescentReport, loss: BatchedLoss, curvature) -> FitReport:
        run = descent.runs[0]
        point = run.final.point
        value, gradient = loss.whole(point)
        norm = float(np.hypot.reduce(gradient)) if gradient else 0.0
        settled = run.converged or norm <= 1e-3 * max(1.0, run.row(0).gradient_norm)
        convex = self.model.is_linear(self.loss)
        verdict = facts.verdict(
            self.row_loss.hessian(point, self.columns), norm, settled=settled, convex=convex
        )
        names = self.model.parameter_names
        fitted = dict(zip(names, point))
        solution = self._least_squares()
        original = self.scaling.original(self.form, fitted) if self.scaling else None
        original_solution = self.scaling.original(self.form, solution) if self.scaling and solution else None
        return FitReport(
            self.model,
            self.loss,
            self.table,
            self.row_loss,
            replace(descent, verdicts=(verdict,)),
            self.batches().size,
            self.request.seed,
            self.model.loss_text(self.loss),
            self.model.gradient_texts(self.loss),
            value,
            norm,
            verdict,
            curvature,
            self._r2(point),
            solution,
            self.scaling,
            original,
            original_solution,
            self._notes(curvature),
        )

    def _r2(self, point) -> float | None:
        if self.loss.name != "mse":
            return None
        variance = float(np.var(self.columns[-1]))
        # The MSE is the mean squared residual, so R² = 1 − MSE/Var(y) needs no column of residuals.
        return (
            1 - self.row_loss.value_and_gradient(point, self.columns)[0] / variance if variance > 0 else None
        )

    def _least_squares(self) -> dict[str, float] | None:
        if not self.mse_linear:
            return None
        gram, rhs = self._gram()
        return dict(zip(self.model.parameter_names, map(float, facts.least_squares(gram, rhs))))

    def _gram(self) -> tuple[np.ndarray, np.ndarray]:
        """ΦᵀΦ/n and Φᵀ(y − u₀)/n of a model linear in its parameters."""
        zero = tuple(0.0 for _ in self.start)
        partials = self.row_loss.partials(zero, self.columns)
        offset = self.row_loss.predict(zero, self.columns[:-1])
        return facts.normal_equations(partials, offset, self.columns[-1], self.table.rows)

    def _notes(self, curvature) -> tuple[str, ...]:
        """A note when the features' scales make the problem much worse conditioned than it need be."""
        if curvature is None or self.scaling is not None or self.form is None or len(self.model.features) < 1:
            return ()
        condition = curvature.condition
        better = self._standardized_condition(self._gram()[0])
        if condition is None or better is None or condition < facts.SCALE_NOTE * better:
            return ()
        deviations = ", ".join(
            f"{x.name} sd {np.std(c):.3g}" for x, c in zip(self.model.features, self.columns)
        )
        return (
            f"the features sit on very different scales ({deviations}): --standardize would bring the "
            f"condition number from {condition:.3g} to {better:.3g}, so a larger lr converges in fewer steps",
        )

    def _standardized_condition(self, gram: np.ndarray) -> float | None:
        """The condition number after --standardize, from the Gram matrix ΦᵀΦ/n as it is: a
        standardized feature is x/σ − (μ/σ)·1, so the new Gram is AᵀGA (no column is copied)."""
        weights, intercept = self.form
        index = {p: i for i, p in enumerate(self.model.parameters)}
        change = np.eye(len(index))
        for x, column in zip(self.model.features, self.columns):
            mean, deviation = float(column.mean()), float(column.std())
            if deviation == 0:
                return None
            j = index[weights[x]]
            change[j, j] = 1 / deviation
            if intercept is not None:
                change[index[intercept], j] = -mean / deviation
        curvature = facts.Curvature.of(change.T @ gram @ change)
        return curvature.condition if curvature else None


def plan_fit(request: FitRequest) -> FitPlan:
    """Read the data and the model, check them, and compile the loss: the symbolic part of a fit."""
    header, text = read_header(request.data, request.stdin)
    model = read_model(request.model, header, target=request.target, params=request.params)
    loss = read_loss(request.loss)
    table = read_table(request.data, [*model.feature_names, request.target], stdin=request.stdin, text=text)
    target = table.columns[request.target]
    if loss.name == "logistic" and not ((target >= 0) & (target <= 1)).all():
        raise InputError(
            f"--loss logistic needs {request.target} to be 0 or 1 (a probability), but it is not"
        )
    form = facts.linear_form(model.inner(loss)[0], model.parameters, model.features)
    features = [table.columns[name] for name in model.feature_names]
    scaling = None
    if request.standardize:
        features, scaling = _standardize(model, features, centre=form is None or form[1] is not None)
    row_loss = RowLoss(model, loss)
    return FitPlan(
        request,
        model,
        loss,
        table,
        row_loss,
        (*features, target),
        _start(model, request.start),
        scaling,
        form,
    )


def _standardize(model: Model, features, *, centre: bool):
    means, deviations, scaled = {}, {}, []
    for name, column in zip(model.feature_names, features):
        mean, deviation = (float(column.mean()) if centre else 0.0), float(column.std())
        if deviation == 0:
            raise InputError(f"--standardize: the column {name} is constant, so it has no scale to divide by")
        means[name], deviations[name] = mean, deviation
        scaled.append((column - mean) / deviation)
    return scaled, facts.Scaling(means, deviations)


def _start(model: Model, text: str | None) -> tuple[float, ...]:
    if text is None:
        return tuple(0.0 for _ in model.parameters)
    point = read_point(Expression(model.text, model.expr, model.parameters), text, option="--start")
    return tuple(float(point[p]) for p in model.parameters)


def run_fit(model: str, data: str, *, target: str, progress=None, **options) -> FitReport:
    """``plan_fit`` and one run, with the request's fields and DescentSettings.read's in ``options``."""
    fields = {k: options.pop(k) for k in list(options) if k in FitRequest.__dataclass_fields__}
    plan = plan_fit(FitRequest(model, data, target, **fields))
    return plan.run(DescentSettings.read(**options), progress)
