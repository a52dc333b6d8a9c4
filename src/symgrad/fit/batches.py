"""Which rows each step of a fit sees: all of them, or mini-batches shuffled every epoch.

>>> batches = Batches(rows=5, size=2, seed=0)
>>> batches.per_epoch, [len(batches.rows_for(k)) for k in range(3)]
(3, [2, 2, 1])
"""

from __future__ import annotations

import math

import numpy as np

from symgrad.errors import InputError


class Batches:
    """Step k's rows: epoch k // per_epoch, shuffled with ``seed`` at its start (the last batch of an
    epoch takes the rows left over, as PyTorch's DataLoader does)."""

    def __init__(self, *, rows: int, size: int | None, seed: int):
        if size is not None and size < 1:
            raise InputError(f"--batch must be 1 or more, got {size}")
        self.rows = rows
        self.size = size if size is not None and size < rows else None  # None: every row at every step
        self.per_epoch = 1 if self.size is None else math.ceil(rows / self.size)
        self._random = np.random.default_rng(seed)
        self._epoch, self._order = -1, None

    @property
    def full(self) -> bool:
        return self.size is None

    def rows_for(self, k: int) -> np.ndarray | None:
        """The row indices of step k, or None for all rows; steps must be asked for in order."""
        if self.size is None:
            return None
        epoch, index = divmod(k, self.per_epoch)
        while self._epoch < epoch:
            self._order = self._random.permutation(self.rows)
            self._epoch += 1
        return self._order[index * self.size : (index + 1) * self.size]


def steps_for(epochs: int | None, steps: int | None, per_epoch: int) -> int:
    """The number of updates: ``--steps``, or ``--epochs`` passes over the data (default 100 steps)."""
    if epochs is not None and steps is not None:
        raise InputError("give --steps or --epochs, not both")
    if epochs is None:
        return 100 if steps is None else steps
    if epochs < 1:
        raise InputError(f"--epochs must be 1 or more, got {epochs}")
    return epochs * per_epoch


class BatchedLoss:
    """The loop's f and ∇f: the loss over step k's rows at the k-th call."""

    def __init__(self, loss, columns, batches: Batches):
        self.loss, self.columns, self.batches = loss, columns, batches
        self.calls = 0

    def whole(self, point):
        """L and ∇L over every row."""
        return self.loss.value_and_gradient(point, self.columns)

    def __call__(self, point):
        rows = self.batches.rows_for(self.calls)
        self.calls += 1
        if rows is None:
            return self.loss.value_and_gradient(point, self.columns)
        return self.loss.value_and_gradient(point, [column[rows] for column in self.columns])
