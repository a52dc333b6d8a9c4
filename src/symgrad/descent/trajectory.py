"""A finished descent run: its rows, kept compact, with how it stopped and what to make of it."""

from __future__ import annotations

from array import array
from bisect import bisect_left
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
    # The steps of the rows in ``history`` when the loop kept only some (descent/record.py); None when
    # it kept every row. ``count`` is the number of rows recorded, kept or not.
    kept: array | None = field(default=None, repr=False)
    count: int | None = None

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
    def interrupted(self) -> bool:
        return self.stop.status is Status.INTERRUPTED

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
        return self.reason_for("f")

    def reason_for(self, function: str) -> str:
        """Why the run stopped, with f called ``function`` (fit calls its loss L)."""
        return self.stop.reason(
            self.names, tol=self.tol, step_limit=self.step_limit, optimizer=self.optimizer, function=function
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
        """Rows recorded: the start and one per update (some may not be kept)."""
        if self.count is not None:
            return self.count
        return len(self.history) // (2 * self.dimension + 2)

    @property
    def kept_steps(self):
        """The step of each kept row, in order: every step unless the run was thinned."""
        return self.kept if self.kept is not None else range(len(self))

    def __iter__(self) -> Iterator[Step]:
        return (self.row(k) for k in self.kept_steps)

    def row(self, k: int) -> Step:
        """Row k (negative counts from the end); IndexError when the run did not keep it."""
        count, n = len(self), self.dimension
        if k < 0:
            k += count
        if not 0 <= k < count:
            raise IndexError(f"row {k} is outside a trajectory of {count} rows")
        position = k
        if self.kept is not None:
            position = bisect_left(self.kept, k)
            if position == len(self.kept) or self.kept[position] != k:
                raise IndexError(f"row {k} was not kept (the run keeps a selection of its rows)")
        r = self.history[position * (2 * n + 2) : (position + 1) * (2 * n + 2)]
        return Step(k, tuple(r[:n]), r[n], tuple(r[n + 1 : 2 * n + 1]), r[2 * n + 1])

    def nearest_kept(self, k: int) -> int:
        """The kept step nearest to step k."""
        if self.kept is None:
            return k
        position = bisect_left(self.kept, k)
        candidates = self.kept[max(position - 1, 0) : position + 1]
        return min(candidates, key=lambda step: (abs(step - k), step))

    @property
    def final(self) -> Step:
        return self.row(-1)

    def coordinate(self, i: int) -> array:
        """Variable i at every kept row, as one array (for plots)."""
        return self.history[i :: 2 * self.dimension + 2]

    @property
    def points(self) -> list[tuple[float, ...]]:
        return list(zip(*(self.coordinate(i) for i in range(self.dimension))))

    @property
    def values(self) -> array:
        """f at every kept row."""
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
        """At most ``limit`` (≥ 2) positions among the kept rows, evenly spread, always with the first
        and the last (positions index ``values``, ``coordinate``; ``kept_steps`` gives their steps)."""
        count = len(self.history) // (2 * self.dimension + 2)
        if count <= limit:
            return tuple(range(count))
        return tuple(sorted({round(i * (count - 1) / (limit - 1)) for i in range(limit)}))
