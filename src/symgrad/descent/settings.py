"""What a descent is asked to do, read and checked once: from the command's options to the loop.

>>> settings = DescentSettings.read(optimizers="sgd,adam", learning_rate=0.01, hyperparameters={"eps": 1e-6})
>>> [(optimizer.name, optimizer.hyperparameters) for optimizer in settings.optimizers]
[('sgd', {}), ('adam', {'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-06})]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from symgrad.descent.optimizers import OPTIMIZER_NAMES, Optimizer, make_optimizer, uses
from symgrad.descent.schedules import Schedule, parse_schedule
from symgrad.descent.transforms import GradientTransformation, update_rule
from symgrad.errors import InputError

# A row takes 8·(2n+2) bytes, so this keeps a two-variable run under 500 MB.
STEP_LIMIT = 10_000_000


@dataclass(frozen=True)
class DescentSettings:
    """The optimizers (built with their hyperparameters) and the options every run of a request shares."""

    optimizers: tuple[Optimizer, ...] = field(default_factory=lambda: (make_optimizer("sgd"),))
    learning_rate: float = 0.1
    steps: int = 100  # at most this many updates
    tol: float = 1e-6  # stop when ‖∇f‖ ≤ tol; 0 turns the test off
    schedule: Schedule | None = None
    clip: float | None = None  # rescale ∇f to this norm when longer
    maximize: bool = False
    noise: float | None = None  # σ of Gaussian noise added to each gradient
    seed: int = 0  # of the noise
    # Which rows a run keeps (descent/record.py): all (None, 1), about ``keep`` evenly spaced ones, or
    # every ``every``-th; what is shown decides, so memory need not grow with the number of steps.
    keep: int | None = None
    every: int = 1

    def __post_init__(self):
        _check(self.learning_rate, self.steps, self.tol, self.clip)
        _check_noise(self.noise, self.seed)
        # Store plain floats: an int lr or tol would print as 1 instead of 1.0 in JSON.
        object.__setattr__(self, "learning_rate", float(self.learning_rate))
        object.__setattr__(self, "tol", float(self.tol))
        object.__setattr__(self, "maximize", bool(self.maximize))

    @classmethod
    def read(
        cls,
        *,
        optimizers: str = "sgd",
        hyperparameters: Mapping[str, float | None] | None = None,
        schedule: str | None = None,
        **options,
    ) -> DescentSettings:
        """Settings from the command's words: ``"sgd,adam"``, ``{"momentum": 0.5}``, ``"exp:0.99"``.

        ``options`` are the fields learning_rate, steps, tol, clip and maximize.
        """
        built = build_optimizers(optimizer_names(optimizers), hyperparameters or {})
        return cls(tuple(built), schedule=parse_schedule(schedule) if schedule else None, **options)

    @property
    def noise_source(self) -> tuple[float, int] | None:
        """(σ, seed) when gradients get noise, else None."""
        return (self.noise, self.seed) if self.noise else None

    def update_rule(self, optimizer: Optimizer) -> GradientTransformation:
        """The chain a run of ``optimizer`` applies to ∇f."""
        return update_rule(
            optimizer,
            self.learning_rate,
            schedule=self.schedule,
            clip=self.clip,
            maximize=self.maximize,
            noise=self.noise_source,
        )


def learning_rates(text: str) -> tuple[float, ...]:
    """``"1,0.001,0.1"`` -> (1.0, 0.001, 0.1), refusing what is not a positive number and repeats."""
    rates = []
    for part in text.split(","):
        try:
            rate = float(part.strip())
        except ValueError:
            raise InputError(
                f"--lr takes numbers, e.g. --lr 0.1 or --lr 1,0.1,0.01; got {part.strip()!r}"
            ) from None
        _check(rate, 0, 0.0, None)
        rates.append(rate)
    if len(set(rates)) != len(rates):
        raise InputError(f"--lr names a learning rate twice: {text}")
    return tuple(rates)


def optimizer_names(text: str) -> list[str]:
    """``"sgd, adam"`` -> ``["sgd", "adam"]``, refusing unknown names and repeats."""
    names = [name.strip().lower() for name in text.split(",")]
    for name in names:
        if name not in OPTIMIZER_NAMES:
            raise InputError(f"unknown optimizer {name!r}: choose from {', '.join(OPTIMIZER_NAMES)}")
    if len(set(names)) != len(names):
        raise InputError(f"--optimizer names an optimizer twice: {text}")
    return names


def build_optimizers(names: list[str], hyperparameters: Mapping[str, float | None]) -> list[Optimizer]:
    """Each optimizer with the hyperparameters it uses; a flag none of them uses is an error."""
    given = {flag: value for flag, value in hyperparameters.items() if value is not None}
    if len(names) > 1:
        for flag in given:
            if not any(uses(name, flag) for name in names):
                make_optimizer(names[0], **{flag: given[flag]})  # raises the message for this flag
    built = []
    for name in names:
        mine = {f: v for f, v in given.items() if len(names) == 1 or uses(name, f)}
        built.append(make_optimizer(name, **mine))
    return built


def _check_noise(noise, seed) -> None:
    if noise is not None and not (isinstance(noise, (int, float)) and 0 <= noise < math.inf):
        raise InputError(f"--noise must be a number ≥ 0 (the σ of the noise), got {noise}: e.g. --noise 0.01")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"--seed must be a whole number ≥ 0, got {seed}: e.g. --seed 1")


def _check(learning_rate, steps, tol, clip) -> None:
    def positive(x) -> bool:
        return isinstance(x, (int, float)) and 0 < x < math.inf

    if not positive(learning_rate):
        raise InputError(f"--lr must be a positive number, got {learning_rate}: e.g. --lr 0.1")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise InputError(f"--steps must be a whole number ≥ 0, got {steps}: e.g. --steps 100")
    if steps > STEP_LIMIT:
        raise InputError(f"--steps {steps} is above the limit of {STEP_LIMIT}: ask for fewer steps")
    if not (isinstance(tol, (int, float)) and 0 <= tol < math.inf):
        raise InputError(f"--tol must be a number ≥ 0, got {tol}: e.g. --tol 1e-6 (0 turns the test off)")
    if clip is not None and not positive(clip):
        raise InputError(f"--clip must be a positive number, got {clip}: e.g. --clip 1")
