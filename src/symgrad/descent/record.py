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
        self.history = array("d")
        # When thinning: the kept rows, their steps, the last TAIL rows (flat) and the rows recorded, in
        # one tuple, replaced in one assignment, so that a signal never finds them half updated.
        self.state: tuple[array, array, list[float], int] = (self.history, array("q"), [], 0)

    @property
    def count(self) -> int:
        """Rows recorded, kept or not."""
        return len(self.history) // self.width if self.everything else self.state[3]

    def add(self, flat: list[float], first_step: int) -> None:
        """Record the rows in ``flat``: consecutive steps from ``first_step``.

        A signal may stop the loop in the middle of this: the rows are added in one call (every row
        kept) or committed together at the end, so ``count`` tells whether they were recorded.
        """
        if self.everything:
            self.history.fromlist(flat)
            return
        n = self.width
        rows = len(flat) // n
        history, kept, recent, _ = self.state
        history, kept = history[:], kept[:]
        for step in self._chosen(first_step, first_step + rows):
            i = step - first_step
            history.extend(flat[i * n : (i + 1) * n])
            kept.append(step)
        if self.keep is not None and len(kept) > self.keep + FIRST:
            history, kept = self._widen(history, kept)
        recent = recent + flat
        recent = recent[-min(TAIL, len(recent) // n) * n :]
        self.state = (history, kept, recent, first_step + rows)

    def finish(self) -> tuple[array, array | None]:
        """The kept rows, flat, and their steps (None when every row was kept)."""
        if self.everything:
            return self.history, None
        n = self.width
        kept_history, kept_steps, recent, count = self.state
        first_recent = count - len(recent) // n
        settled = sum(1 for step in kept_steps if step < first_recent)
        history = kept_history[: settled * n]
        history.fromlist(recent)
        kept = kept_steps[:settled]
        kept.extend(range(first_recent, count))
        return history, kept

    def _chosen(self, start: int, stop: int) -> list[int]:
        """The steps in [start, stop) that are kept: the first few and every stride-th."""
        early = list(range(start, min(stop, FIRST)))
        first_multiple = max(start, FIRST) + (-max(start, FIRST)) % self.stride
        return early + list(range(first_multiple, stop, self.stride))

    def _widen(self, history: array, kept: array) -> tuple[array, array]:
        """Double the stride until at most ``keep`` rows are kept after the first ones."""
        while sum(1 for step in kept if step >= FIRST and step % self.stride == 0) > self.keep:
            self.stride *= 2
        chosen = [i for i, step in enumerate(kept) if step < FIRST or step % self.stride == 0]
        n = self.width
        thinned = array("d")
        for i in chosen:
            thinned.extend(history[i * n : (i + 1) * n])
        return thinned, array("q", (kept[i] for i in chosen))
