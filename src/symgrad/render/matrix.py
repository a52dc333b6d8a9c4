"""A matrix of text entries for the terminal, laid out once as plain text and split into blocks of
columns when it is wider than the screen, as R and NumPy print wide matrices.

>>> from rich.console import Console
>>> Console(width=40, color_system=None).print(Matrix(["x", "y"], [["2", "0"], ["0", "8"]]))
   x  y
x  2  0
y  0  8
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from symgrad.render import table

GAP = "  "  # between columns, as the borderless table has: one cell's right padding, the next's left
_HEADER = Style(bold=True)


class Matrix:
    """A square matrix of entries with the variables' names along the top and down the side.

    When it fits, the lines are the same, character for character and style for style, as those of
    ``render.table(("", *names), ...)``, which it replaces: a Rich table measures and wraps every cell,
    which for an 80 × 80 Hessian takes longer than computing it. When it is too wide, the columns are
    shown in blocks that each fit, each under a line ``columns 1–8 of 80``; a single column too wide to
    fit even alone is handed to a Rich table, which wraps its entries.
    """

    def __init__(self, names: Sequence[str], rows: Sequence[Sequence[str]]):
        self.names = list(names)
        self.rows = [list(row) for row in rows]
        if any(len(row) != len(self.names) for row in self.rows) or len(self.rows) != len(self.names):
            raise ValueError("a Matrix needs one row and one column per name")
        self.label_width = max((cell_len(name) for name in self.names), default=0)
        # Each distinct text is measured once: most entries of a large Hessian are the same few.
        self._cells = cells = {text: cell_len(text) for text in set(self.names).union(*self.rows)}
        self.widths = [
            max(cells[name], *(cells[row[j]] for row in self.rows)) for j, name in enumerate(self.names)
        ]
        # A table wraps text at line breaks, so an entry with one cannot be laid out as one line.
        self.one_line = not any("\n" in text for text in cells)

    @property
    def width(self) -> int:
        """The width of the whole matrix on one line: labels, entries and the gaps between them."""
        return self.label_width + sum(len(GAP) + w for w in self.widths)

    def blocks(self, max_width: int) -> list[range]:
        """The columns in blocks that each fit ``max_width``, as many to a block as fit; a column too
        wide to fit alone is a block of its own."""
        blocks, start, n = [], 0, len(self.names)
        while start < n:
            used, end = self.label_width + len(GAP) + self.widths[start], start + 1
            while end < n and used + len(GAP) + self.widths[end] <= max_width:
                used += len(GAP) + self.widths[end]
                end += 1
            blocks.append(range(start, end))
            start = end
        return blocks

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        narrowest = self.label_width + len(GAP) + max(self.widths, default=0)
        return Measurement(min(narrowest, self.width), self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.names:
            return
        if not self.one_line:
            yield self._table(range(len(self.names)))
            return
        max_width = options.max_width
        if self.width <= max_width:
            yield from self._lines(range(len(self.names)))
            return
        n = len(self.names)
        for k, columns in enumerate(self.blocks(max_width)):
            if k:
                yield Segment.line()
            first, last = columns[0] + 1, columns[-1] + 1
            caption = f"column {first} of {n}" if first == last else f"columns {first}–{last} of {n}"
            yield Text(caption)
            if self.label_width + len(GAP) + self.widths[columns[0]] > max_width:
                yield self._table(columns)  # an entry wider than the screen: the table wraps it
            else:
                yield from self._lines(columns)

    def _lines(self, columns: range) -> Iterator[Segment]:
        """The header line in bold, then one line per row, each cell padded to its column's width."""
        widths = [self.label_width, *(self.widths[j] for j in columns)]
        cells = self._cells

        def line(texts) -> str:
            return GAP.join(text + " " * (w - cells.get(text, 0)) for text, w in zip(texts, widths))

        yield Segment(line(["", *(self.names[j] for j in columns)]), _HEADER)
        yield Segment.line()
        for name, row in zip(self.names, self.rows):
            yield Segment(line([name, *(row[j] for j in columns)]))
            yield Segment.line()

    def _table(self, columns: range):
        """The borderless table this matrix replaces, for these columns: it wraps entries to fit."""
        return table(
            ("", *(self.names[j] for j in columns)),
            [(name, *(row[j] for j in columns)) for name, row in zip(self.names, self.rows)],
        )
