"""A finished descent run: its rows, kept compact, with how it stopped and what to make of it."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from symgrad.descent.diagnosis import Diagnosis
from symgrad.descent.outcome import Status, Stop
from symgrad.descent.schedules import Schedule
from symgrad.descent.settings import DescentSettings


@dataclass(frozen=True)
class Step:
    """One row of a trajectory: the point after ``step`` updates, f there, ∇f and ‖∇f‖."""

    step: int
    point: tuple[float, ...]
    value: float
    gradient: tuple[float, ...]
    gradient_norm: float


@dataclass(frozen=True)
class Trajectory:
    """A descent run: its optimizer and settings, why it stopped, its diagnosis, and its rows (row k =
    after k updates).

    The rows live in one flat ``array('d')`` of 2n+2 floats each (point, f, ∇f, ‖∇f‖); the accessors
    build tuples only when asked.
    """

    names: tuple[str, ...]
    optimizer: str
    hyperparameters: dict[str, float]
    settings: DescentSettings
    curvature: float | None  # L at the start (of −f when maximizing), which the advice uses
    stop: Stop
    diagnosis: Diagnosis
    history: array = field(repr=False)

    # The settings of the run, read through.

    @property
    def learning_rate(self) -> float:
        return self.settings.learning_rate

    @property
    def schedule(self) -> Schedule | None:
        return self.settings.schedule

    @property
    def step_limit(self) -> int:
        return self.settings.steps

    @property
    def tol(self) -> float:
        return self.settings.tol

    @property
    def clip(self) -> float | None:
        return self.settings.clip

    @property
    def maximize(self) -> bool:
        return self.settings.maximize

    # How it ended.

    @property
    def status(self) -> Status:
        return self.stop.status

    @property
    def converged(self) -> bool:
        return self.stop.status is Status.CONVERGED

    @property
    def diverged(self) -> bool:
        return self.stop.status is Status.DIVERGED

    @property
    def diverged_at(self) -> int | None:
        """The step whose point, f or ∇f failed; its row is kept when finite."""
        return self.stop.step if self.diverged else None

    @property
    def reason(self) -> str:
        """One line: why the run stopped."""
        return self.stop.reason(
            self.names, tol=self.tol, step_limit=self.step_limit, optimizer=self.optimizer
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.diagnosis.warnings

    @property
    def advice(self) -> str | None:
        return self.diagnosis.advice

    @property
    def suggested_learning_rate(self) -> float | None:
        return self.diagnosis.suggested_learning_rate

    # The rows.

    @property
    def dimension(self) -> int:
        return len(self.names)

    def __len__(self) -> int:
        return len(self.history) // (2 * self.dimension + 2)

    def __iter__(self) -> Iterator[Step]:
        return (self.row(k) for k in range(len(self)))

    def row(self, k: int) -> Step:
        """Row k (negative counts from the end)."""
        count, n = len(self), self.dimension
        if k < 0:
            k += count
        if not 0 <= k < count:
            raise IndexError(f"row {k} is outside a trajectory of {count} rows")
        r = self.history[k * (2 * n + 2) : (k + 1) * (2 * n + 2)]
        return Step(k, tuple(r[:n]), r[n], tuple(r[n + 1 : 2 * n + 1]), r[2 * n + 1])

    @property
    def final(self) -> Step:
        return self.row(-1)

    def coordinate(self, i: int) -> array:
        """Variable i at every row, as one array (for plots)."""
        return self.history[i :: 2 * self.dimension + 2]

    @property
    def points(self) -> list[tuple[float, ...]]:
        return list(zip(*(self.coordinate(i) for i in range(self.dimension))))

    @property
    def values(self) -> array:
        n = self.dimension
        return self.history[n :: 2 * n + 2]

    @property
    def gradients(self) -> list[tuple[float, ...]]:
        n = self.dimension
        return list(zip(*(self.history[n + 1 + i :: 2 * n + 2] for i in range(n))))

    @property
    def gradient_norms(self) -> array:
        n = self.dimension
        return self.history[2 * n + 1 :: 2 * n + 2]

    def sampled_steps(self, limit: int) -> tuple[int, ...]:
        """At most ``limit`` (≥ 2) row indices, evenly spread, always with the first and the last."""
        count = len(self)
        if count <= limit:
            return tuple(range(count))
        return tuple(sorted({round(i * (count - 1) / (limit - 1)) for i in range(limit)}))
