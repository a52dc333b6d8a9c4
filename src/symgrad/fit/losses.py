"""The per-row losses of a fit, symbolic in the model's output u and the target y.

Each loss gives ℓ(u, y) and its first two derivatives in u; the plan puts the model in for u and
differentiates through it by the chain rule. ``logistic`` on a model σ(z) is written in the margin z,
ℓ = softplus(z) − y·z, which stays finite for large margins where log σ(z) would give log 0.

>>> loss = read_loss("huber:2")
>>> loss.name, loss.delta
('huber', 2.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from symgrad.errors import InputError
from symgrad.expression.functions import sigmoid

LOSS_NAMES = ("mse", "mae", "huber", "logistic")
HUBER_DELTA = 1.0


class softplus(sympy.Function):  # noqa: N801 - named as the maths names it, like sympy's own functions
    """log(1 + eᶻ), which NumPy computes as logaddexp(0, z) without overflow."""

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])


@dataclass(frozen=True)
class Loss:
    """One of LOSS_NAMES, with Huber's δ."""

    name: str
    delta: float | None = None

    def per_row(self, u, y, *, margin: bool = False):
        """ℓ(u, y): with ``margin`` (logistic on σ(u)), u is the margin z."""
        r = u - y
        if self.name == "mse":
            return r**2
        if self.name == "mae":
            return sympy.Abs(r)
        if self.name == "huber":
            delta = sympy.Float(self.delta)
            return sympy.Piecewise(
                (r**2 / 2, sympy.Abs(r) <= delta), (delta * (sympy.Abs(r) - delta / 2), True)
            )
        if margin:
            return softplus(u) - y * u
        return -(y * sympy.log(u) + (1 - y) * sympy.log(1 - u))

    @property
    def text(self) -> str:
        return f"huber:{self.delta:g}" if self.name == "huber" else self.name


def read_loss(text: str) -> Loss:
    """``mse``, ``mae``, ``huber``, ``huber:DELTA`` or ``logistic``."""
    name, _, argument = text.strip().lower().partition(":")
    if name not in LOSS_NAMES:
        raise InputError(f"unknown loss {text!r}: choose from mse, mae, huber[:DELTA], logistic")
    if name != "huber":
        if argument:
            raise InputError(f"--loss {name} takes no value after ':' (only huber:DELTA does)")
        return Loss(name)
    if not argument:
        return Loss(name, HUBER_DELTA)
    try:
        delta = float(argument)
    except ValueError:
        delta = math.nan
    if not (0 < delta < math.inf):
        raise InputError(f"--loss huber:DELTA takes a positive number, got {argument!r}: e.g. huber:1.5")
    return Loss(name, delta)
