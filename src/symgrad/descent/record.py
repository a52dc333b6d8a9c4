"""Where the loop keeps its rows: every one, or a selection whose size does not grow with the run.

A table shows 40 rows, a loss curve 40 bars and a picture a few thousand points, so a run of ten
million steps need not keep ten million rows to show them. ``Rows(keep=N)`` keeps the first ``FIRST``
rows, the last ``TAIL`` rows (the diagnosis reads them) and evenly spaced rows between: every
``stride``-th step, the stride doubling whenever more than N of them pile up. A run of up to N steps
keeps every row. ``Rows(every=K)`` keeps every K-th row and the first and last ones.

>>> rows = Rows(dimension=1, keep=8)
>>> rows.add([float(v) for step in range(100) for v in (step, 0, 0, 0)], 0)
>>> history, kept = rows.finish()
>>> rows.count, list(kept)[:13], len(kept)
(100, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 32, 36], 76)
"""

from __future__ import annotations

from array import array

# Rows kept at the start and at the end of a thinned run, whatever its length.
FIRST = 10
TAIL = 64
# Rows kept between them by default: enough for any table, sparkline or picture symgrad draws.
KEEP = 10_000


class Rows:
    """The rows of one run (point, f, ∇f, ‖∇f‖), flat, and the steps they belong to."""

    def __init__(self, dimension: int, keep: int | None = None, every: int = 1):
        """``keep`` None and ``every`` 1 keep every row."""
        self.width = 2 * dimension + 2
        self.everything = keep is None and every == 1
        self.keep, self.stride = keep, every
        self.history, self.kept = array("d"), array("q")
        self.count = 0  # rows recorded, kept or not
        self.recent: list[float] = []  # the last TAIL rows, flat

    def add(self, flat: list[float], first_step: int) -> None:
        """Record the rows in ``flat``: consecutive steps from ``first_step``."""
        rows = len(flat) // self.width
        self.count = first_step + rows
        if self.everything:
            self.history.fromlist(flat)
            return
        n = self.width
        for step in self._chosen(first_step, first_step + rows):
            i = step - first_step
            self.history.extend(flat[i * n : (i + 1) * n])
            self.kept.append(step)
        if self.keep is not None and len(self.kept) > self.keep + FIRST:
            self._widen()
        recent = self.recent + flat
        self.recent = recent[-min(TAIL, len(recent) // n) * n :]

    def finish(self) -> tuple[array, array | None]:
        """The kept rows, flat, and their steps (None when every row was kept)."""
        if self.everything:
            return self.history, None
        n = self.width
        tail_rows = len(self.recent) // n
        first_recent = self.count - tail_rows
        settled = sum(1 for step in self.kept if step < first_recent)
        history = self.history[: settled * n]
        history.fromlist(self.recent)
        kept = self.kept[:settled]
        kept.extend(range(first_recent, self.count))
        return history, kept

    def _chosen(self, start: int, stop: int) -> list[int]:
        """The steps in [start, stop) that are kept: the first few and every stride-th."""
        early = list(range(start, min(stop, FIRST)))
        first_multiple = max(start, FIRST) + (-max(start, FIRST)) % self.stride
        return early + list(range(first_multiple, stop, self.stride))

    def _widen(self) -> None:
        """Double the stride until at most ``keep`` rows are kept after the first ones."""
        while sum(1 for step in self.kept if step >= FIRST and step % self.stride == 0) > self.keep:
            self.stride *= 2
        chosen = [i for i, step in enumerate(self.kept) if step < FIRST or step % self.stride == 0]
        n = self.width
        history = array("d")
        for i in chosen:
            history.extend(self.history[i * n : (i + 1) * n])
        self.history = history
        self.kept = array("q", (self.kept[i] for i in chosen))
