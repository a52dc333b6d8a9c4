"""The updates of a finished run, computed again from its recorded gradients: what each one used.

The loop keeps only the rows (point, f, ∇f); the optimizer's state — velocity, accumulated squares,
Adam's m and v — follows from the gradients alone, so it is rebuilt on demand instead of stored on
every step of every run. The same chain of transforms does the same float operations in the same
order, noise included (its generator starts again from the seed), so the replayed state is the one
the run had.

>>> from symgrad.descent.loop import descend
>>> run = descend(lambda p: (p[0] ** 2, (2 * p[0],)), (1.0,), optimizer="momentum", steps=2, tol=0)
>>> [round(update.after["velocity"][0], 12) for update in replay(run)]  # v = 2, then 0.9·2 + 1.6
[2.0, 3.4]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from symgrad.descent.optimizers import Optimizer, state_fields
from symgrad.descent.trajectory import Trajectory
from symgrad.descent.transforms import chain, gradient_transforms

Vector = tuple[float, ...]


@dataclass(frozen=True)
class Update:
    """The update from row ``step`` to row ``step + 1``."""

    step: int
    given: Vector  # what the optimizer was given: ∇f with noise, clipped, negated to climb
    learning_rate: float  # the scheduled rate of this update
    before: dict[str, Vector]  # the optimizer's state before it
    after: dict[str, Vector]  # and after it


def optimizer_of(run: Trajectory) -> Optimizer:
    """The optimizer object a run used, from its settings."""
    return next(o for o in run.settings.optimizers if o.name == run.optimizer)


def replay(run: Trajectory) -> Iterator[Update]:
    """Each update the run made, in order (one fewer than its rows)."""
    settings = run.settings
    optimizer = optimizer_of(run)
    transforms = gradient_transforms(
        clip=settings.clip, maximize=settings.maximize, noise=settings.noise_source
    )
    prepare = chain(*transforms) if transforms else None
    start = run.row(0).point
    prepared, state = prepare.init(start) if prepare else None, optimizer.init(start)
    factor = None if settings.schedule is None or settings.schedule.is_constant else settings.schedule.factor
    for t in range(len(run) - 1):
        given = run.row(t).gradient
        if prepare is not None:
            given, prepared = prepare.update(given, prepared)
        rate = settings.learning_rate * factor(t) if factor is not None else settings.learning_rate
        before = state_fields(state)
        _, state = optimizer.update(given, state, rate)
        yield Update(t, given, rate, before, state_fields(state))


def states(run: Trajectory) -> Iterator[dict[str, Vector]]:
    """The optimizer's state at each row: zeros (or nothing) at the start, then after each update."""
    first = state_fields(optimizer_of(run).init(run.row(0).point))
    yield first
    for update in replay(run):
        yield update.after
