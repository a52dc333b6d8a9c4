"""A descent step written out as a teacher writes it: each formula, then its numbers, then the result.

    step 1   x = 0.4
      f′(x) = 2x − 4 = 2·0.4 − 4 = −3.2
      x ← x − lr·f′(x) = 0.4 − 0.1·(−3.2) = 0.72

Floats only: the formulas come in as text (``readable``) and templates (``template``) made by the plan.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from symgrad.descent.replay import Update, replay
from symgrad.descent.schedules import Schedule
from symgrad.descent.trajectory import Trajectory
from symgrad.expression.floats import fill
from symgrad.expression.floats import worked as value


@dataclass(frozen=True)
class Formulas:
    """The gradient of f as people read it: one readable formula and one template per variable."""

    names: tuple[str, ...]
    texts: tuple[str, ...]
    templates: tuple[str, ...]


@dataclass(frozen=True)
class StepWork:
    """Row k of a run and, unless it is the last, the update to row k+1."""

    step: int
    point: tuple[float, ...]
    gradient: tuple[float, ...]  # ∇f at point
    update: Update | None  # what the update used (None for the last row)
    next_point: tuple[float, ...] | None


@dataclass(frozen=True)
class WorkSheet:
    """Everything needed to write out the steps of one run."""

    formulas: Formulas
    optimizer: str
    hyperparameters: dict
    base_learning_rate: float
    schedule: Schedule | None = None
    clip: float | None = None
    maximize: bool = False
    noise: float | None = None

    @classmethod
    def of(cls, run: Trajectory, formulas: Formulas) -> WorkSheet:
        settings = run.settings
        return cls(
            formulas,
            run.optimizer,
            dict(run.hyperparameters),
            settings.learning_rate,
            settings.schedule,
            settings.clip,
            settings.maximize,
            settings.noise or None,
        )

    def lines(self, work: StepWork) -> list[str]:
        """The header line of step k and the lines that compute step k+1 from it."""
        names = self.formulas.names
        header = f"step {work.step}   " + ", ".join(f"{n} = {value(x)}" for n, x in zip(names, work.point))
        lines = self._gradient(work)
        if work.next_point is not None:
            lines += self._given(work)
            if self.schedule is not None and not self.schedule.is_constant:
                lines.append(self._scheduled(work))
            lines += self._update(work)
        return [header, *("  " + line for line in lines)]

    # the gradient at the point
    def _partial(self, i: int) -> str:
        names = self.formulas.names
        return f"f′({names[0]})" if len(names) == 1 else f"∂f/∂{names[i]}"

    def _gradient(self, work: StepWork) -> list[str]:
        out = []
        for i, (text, template) in enumerate(zip(self.formulas.texts, self.formulas.templates)):
            filled = fill(template, work.point)
            steps = [text] if text == filled else [text, filled]
            if value(work.gradient[i]) not in steps:
                steps.append(value(work.gradient[i]))
            out.append(f"{self._partial(i)} = " + " = ".join(steps))
        return out

    # what the optimizer is given
    def _squared(self, i: int) -> str:
        symbol = self._symbol(i)
        return f"({symbol})²" if "/" in symbol else f"{symbol}²"

    def _symbol(self, i: int) -> str:
        """How the update lines name the i-th component of what the optimizer is given."""
        if not self._transformed():
            return self._partial(i)
        return "g" if len(self.formulas.names) == 1 else f"g_{self.formulas.names[i]}"

    def _transformed(self) -> bool:
        return self.clip is not None or self.noise is not None or self.maximize

    def _given(self, work: StepWork) -> list[str]:
        if not self._transformed():
            return []
        norm = math.hypot(*work.gradient)
        parts = ["∇f"]
        if self.clip is not None and norm > self.clip:
            parts = [f"∇f·{value(self.clip)}/{value(norm)}"]
        if self.noise is not None:
            parts.append(f"N(0, {value(self.noise)}²)")
        given = " + ".join(parts)
        if self.maximize:
            given = f"−({given})" if len(parts) > 1 else "−" + given
        lines = [f"g = {given}"]
        if self.clip is not None:
            relation = ">" if norm > self.clip else "≤"
            lines[0] += f"   since ‖∇f‖ = {value(norm)} {relation} clip = {value(self.clip)}"
        for i in range(len(work.update.given)):
            lines.append(f"{self._symbol(i)} = {value(work.update.given[i])}")
        return lines

    def _scheduled(self, work: StepWork) -> str:
        formula = self.schedule.description
        filled = re.sub(r"\bt\b", str(work.step), formula).replace("lr", value(self.base_learning_rate), 1)
        return f"lr_{work.step} = {formula} = {filled} = {value(work.update.learning_rate)}"

    # the update, by optimizer
    def _update(self, work: StepWork) -> list[str]:
        rule = _RULES[self.optimizer]
        out = []
        n = len(self.formulas.names)
        for i, name in enumerate(self.formulas.names):
            suffix = "" if n == 1 else f"_{name}"
            out += rule(self, work, i, name, suffix)
        return out


def _lr(sheet: WorkSheet, work: StepWork) -> tuple[str, str]:
    """The learning rate's symbol and its number for this step."""
    scheduled = sheet.schedule is not None and not sheet.schedule.is_constant
    return (f"lr_{work.step}" if scheduled else "lr"), value(work.update.learning_rate)


def _sgd(sheet, work, i, name, suffix):
    g = sheet._symbol(i)
    lr, rate = _lr(sheet, work)
    x, used, new = work.point[i], work.update.given[i], work.next_point[i]
    return [f"{name} ← {name} − {lr}·{g} = {value(x)} − {rate}·{value(used, True)} = {value(new)}"]


def _momentum(sheet, work, i, name, suffix):
    g = sheet._symbol(i)
    lr, rate = _lr(sheet, work)
    mu = value(sheet.hyperparameters["momentum"])
    b0, b1 = work.update.before["velocity"][i], work.update.after["velocity"][i]
    x, used, new = work.point[i], work.update.given[i], work.next_point[i]
    lines = [f"v{suffix} ← μ·v{suffix} + {g} = {mu}·{value(b0, True)} + {value(used, True)} = {value(b1)}"]
    if sheet.optimizer == "nesterov":
        lines.append(
            f"{name} ← {name} − {lr}·({g} + μ·v{suffix}) = {value(x)} − {rate}·({value(used)} + "
            f"{mu}·{value(b1, True)}) = {value(new)}"
        )
    else:
        lines.append(
            f"{name} ← {name} − {lr}·v{suffix} = {value(x)} − {rate}·{value(b1, True)} = {value(new)}"
        )
    return lines


def _adagrad(sheet, work, i, name, suffix):
    g = sheet._symbol(i)
    lr, rate = _lr(sheet, work)
    eps = value(sheet.hyperparameters["eps"])
    s0, s1 = work.update.before["sum_of_squares"][i], work.update.after["sum_of_squares"][i]
    x, used, new = work.point[i], work.update.given[i], work.next_point[i]
    return [
        f"s{suffix} ← s{suffix} + {sheet._squared(i)} = {value(s0)} + {value(used, True)}² = {value(s1)}",
        f"{name} ← {name} − {lr}·{g}/(√s{suffix} + ε) = {value(x)} − {rate}·{value(used, True)}/"
        f"(√{value(s1)} + {eps}) = {value(new)}",
    ]


def _rmsprop(sheet, work, i, name, suffix):
    g = sheet._symbol(i)
    lr, rate = _lr(sheet, work)
    alpha = sheet.hyperparameters["alpha"]
    eps = value(sheet.hyperparameters["eps"])
    v0, v1 = work.update.before["square_average"][i], work.update.after["square_average"][i]
    x, used, new = work.point[i], work.update.given[i], work.next_point[i]
    return [
        f"v{suffix} ← α·v{suffix} + (1 − α)·{sheet._squared(i)} = {value(alpha)}·{value(v0)} + "
        f"{value(1 - alpha)}·{value(used, True)}² = {value(v1)}",
        f"{name} ← {name} − {lr}·{g}/(√v{suffix} + ε) = {value(x)} − {rate}·{value(used, True)}/"
        f"(√{value(v1)} + {eps}) = {value(new)}",
    ]


def _adam(sheet, work, i, name, suffix):
    g = sheet._symbol(i)
    lr, rate = _lr(sheet, work)
    beta1, beta2 = sheet.hyperparameters["beta1"], sheet.hyperparameters["beta2"]
    eps = value(sheet.hyperparameters["eps"])
    t = work.step + 1
    m0, m1 = work.update.before["m"][i], work.update.after["m"][i]
    v0, v1 = work.update.before["v"][i], work.update.after["v"][i]
    m_hat, v_hat = m1 / (1 - beta1**t), v1 / (1 - beta2**t)
    x, used, new = work.point[i], work.update.given[i], work.next_point[i]
    power = str(t).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return [
        f"m{suffix} ← β₁·m{suffix} + (1 − β₁)·{g} = {value(beta1)}·{value(m0, True)} + "
        f"{value(1 - beta1)}·{value(used, True)} = {value(m1)}",
        f"v{suffix} ← β₂·v{suffix} + (1 − β₂)·{sheet._squared(i)} = {value(beta2)}·{value(v0)} + "
        f"{value(1 - beta2)}·{value(used, True)}² = {value(v1)}",
        f"m̂{suffix} = m{suffix}/(1 − β₁ᵗ) = {value(m1, True)}/(1 − {value(beta1)}{power}) = {value(m_hat)}",
        f"v̂{suffix} = v{suffix}/(1 − β₂ᵗ) = {value(v1)}/(1 − {value(beta2)}{power}) = {value(v_hat)}",
        f"{name} ← {name} − {lr}·m̂{suffix}/(√v̂{suffix} + ε) = {value(x)} − {rate}·{value(m_hat, True)}/"
        f"(√{value(v_hat)} + {eps}) = {value(new)}",
    ]


_RULES = {
    "sgd": _sgd,
    "momentum": _momentum,
    "nesterov": _momentum,
    "adagrad": _adagrad,
    "rmsprop": _rmsprop,
    "adam": _adam,
}


def worked_steps(
    run: Trajectory, formulas: Formulas, shown: Iterable[int]
) -> Iterator[tuple[int, list[str]]]:
    """(k, lines) for each shown row k of ``run``, in order: its gradient and the update after it."""
    sheet = WorkSheet.of(run, formulas)
    wanted = sorted(set(shown))
    if not wanted:
        return
    updates = replay(run)
    last = len(run) - 1
    for k in range(wanted[-1] + 1):
        update = next(updates) if k < last else None
        if k in wanted:
            row = run.row(k)
            following = run.row(k + 1).point if k < last else None
            yield k, sheet.lines(StepWork(k, row.point, row.gradient, update, following))
