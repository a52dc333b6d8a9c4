"""Learning-rate schedules: the learning rate as a function of the step index t (0 for the first update).

>>> schedule = parse_schedule("step:10:0.5")
>>> schedule.description
'lr·0.5^⌊t/10⌋'
>>> schedule.learning_rate(0.1, 25)
0.025
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from symgrad.errors import InputError

SYNTAX = "constant, exp:GAMMA, step:EVERY:GAMMA, inv:K or cosine:T"

# name -> (names of the numbers after it, an example of the right syntax)
_FORMS = {
    "constant": ((), "constant"),
    "exp": (("GAMMA",), "exp:0.99"),
    "step": (("EVERY", "GAMMA"), "step:100:0.5"),
    "inv": (("K",), "inv:0.01"),
    "cosine": (("T",), "cosine:1000"),
}


@dataclass(frozen=True)
class Schedule:
    """A schedule: ``factor(t)`` multiplies the base learning rate at step t."""

    name: str
    parameters: dict[str, float]  # the numbers after the name, by the names in SYNTAX
    description: str  # the formula, for display: "lr·0.99^t"
    factor: Callable[[int], float] = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        """The schedule written back in the syntax ``parse_schedule`` reads."""
        return ":".join([self.name, *(repr(value) for value in self.parameters.values())])

    @property
    def is_constant(self) -> bool:
        return self.name == "constant"

    def learning_rate(self, base: float, t: int) -> float:
        """The learning rate for the update at step index t."""
        return base * self.factor(t)


def parse_schedule(text: str) -> Schedule:
    """Read ``constant``, ``exp:GAMMA``, ``step:EVERY:GAMMA``, ``inv:K`` or ``cosine:T``.

    >>> parse_schedule("inv:0.5").learning_rate(1.0, 2)
    0.5
    """
    name, *fields = [part.strip() for part in text.strip().lower().split(":")]
    if name not in _FORMS:
        raise InputError(f"unknown schedule {text.strip()!r}: use {SYNTAX} (e.g. exp:0.99)")
    names, example = _FORMS[name]
    usage = f"write {':'.join([name, *names])}, e.g. {example}"
    if len(fields) != len(names):
        count = {0: "no numbers", 1: "one number"}.get(len(names), f"{len(names)} numbers")
        raise InputError(f"schedule {name!r} takes {count}: {usage}")
    values = {}
    for label, raw in zip(names, fields):
        try:
            value = float(raw)
        except ValueError:
            raise InputError(f"{label} in {text.strip()!r} is not a number: {usage}") from None
        if not math.isfinite(value):
            raise InputError(f"{label} in {text.strip()!r} must be a finite number: {usage}")
        values[label] = value
    return _build(name, values, text.strip(), usage)


def _build(name: str, values: dict[str, float], text: str, usage: str) -> Schedule:
    def need(label: str, ok: bool, what: str) -> None:
        if not ok:
            raise InputError(f"{label} in {text!r} must be {what}: {usage}")

    if name == "constant":
        return Schedule("constant", {}, "constant lr", lambda t: 1.0)
    if name == "exp":
        gamma = values["GAMMA"]
        need("GAMMA", gamma > 0, "positive")
        return Schedule("exp", values, f"lr·{gamma:g}^t", _power(gamma, lambda t: t))
    if name == "step":
        every, gamma = values["EVERY"], values["GAMMA"]
        need("EVERY", every >= 1 and every.is_integer(), "a whole number ≥ 1")
        need("GAMMA", gamma > 0, "positive")
        period = int(every)
        values = {"EVERY": period, "GAMMA": gamma}
        description = f"lr·{gamma:g}^⌊t/{period}⌋"
        return Schedule("step", values, description, _power(gamma, lambda t: t // period))
    if name == "inv":
        k = values["K"]
        need("K", k >= 0, "≥ 0")
        return Schedule("inv", values, f"lr/(1+{k:g}·t)", lambda t: 1 / (1 + k * t))
    horizon = values["T"]
    need("T", horizon >= 1 and horizon.is_integer(), "a whole number ≥ 1")
    period = int(horizon)

    def cosine(t: int) -> float:
        return (1 + math.cos(math.pi * min(t, period) / period)) / 2

    return Schedule("cosine", {"T": period}, f"lr·(1+cos(π·min(t,{period})/{period}))/2", cosine)


def _power(gamma: float, exponent: Callable[[int], int]) -> Callable[[int], float]:
    """t ↦ gamma**exponent(t), infinite instead of OverflowError when gamma > 1 runs away."""

    def factor(t: int) -> float:
        try:
            return gamma ** exponent(t)
        except OverflowError:
            return math.inf

    return factor
