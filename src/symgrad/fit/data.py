"""Reading the data of a fit: a CSV file with a header row, every used cell a finite number.

pandas' C parser reads the columns (see pyproject for why pandas); a file that fails the checks is read
again, slowly, only to name the line and column of its first bad cell.

>>> table = read_table("-", ["size", "price"], stdin=io.StringIO("size,price\\n50,100\\n100,200\\n"))
>>> table.rows, table.columns["price"].tolist()
(2, [100.0, 200.0])
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from symgrad.errors import InputError

CHUNK = 1 << 17  # rows per chunk: large enough for the parser's speed, small next to 10⁶ rows
INSTALL_HINT = 'pip install "symgrad[fit]" (or pip install pandas)'


@dataclass(frozen=True)
class Table:
    """The columns a fit uses, as float64 arrays of equal length, and every column name the file has."""

    source: str  # the file name, or "standard input"
    header: tuple[str, ...]
    columns: dict[str, np.ndarray] = field(repr=False)

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


def read_header(source: str, stdin=None) -> tuple[tuple[str, ...], str | None]:
    """The column names of ``source`` ("-" for standard input) and, for standard input, its text."""
    text = None
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin
        if stream is None or stream.closed:
            raise InputError("--data - reads standard input, but there is none")
        text = stream.read().lstrip("\ufeff")
        first = text.split("\n", 1)[0]
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"--data {source}: there is no such file")
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                first = handle.readline()
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"--data {source}: cannot read it as text ({error})") from None
    names = _header(first, _name(source))
    return names, text


def read_table(source: str, wanted: Sequence[str], *, stdin=None, text: str | None = None) -> Table:
    """The ``wanted`` columns of ``source`` as float64 arrays; InputError (exit 2) for a file that is
    missing, empty, has no header, lacks a wanted column, has no rows or a cell that is not a number."""
    if text is None and source == "-":
        _, text = read_header(source, stdin)
    header = _header(text.split("\n", 1)[0] if text is not None else _first_line(source), _name(source))
    for column in wanted:
        if column not in header:
            raise InputError(f"{_name(source)} has no column {column!r}{did_you_mean(column, header)}")
    columns = {column: np.empty(_line_count(source, text)) for column in wanted}
    filled = 0
    for frame in _parse(source, text):
        if len(frame) == 0:  # a file with a header only
            continue
        frame.columns = [str(c).strip() for c in frame.columns]
        for column in wanted:
            values = frame[column]
            array = values.to_numpy(dtype=np.float64) if values.dtype.kind in "iuf" else None
            if array is None or not np.isfinite(array).all():
                raise _bad_cell(source, text, header, column)
            columns[column][filled : filled + len(array)] = array
        filled += len(frame)
    if filled == 0:
        raise InputError(f"{_name(source)} has a header but no rows of data: add rows of numbers")
    columns = {column: values[:filled] for column, values in columns.items()}
    return Table(_name(source), header, columns)


def _line_count(source: str, text: str | None) -> int:
    """At least the number of rows (blank lines are counted too), to make room for them at once."""
    if text is not None:
        return text.count("\n") + 1
    count = 1
    with open(source, "rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
    return count


def _parse(source: str, text: str | None):
    """The table in chunks of CHUNK rows (DataFrames), by pandas' C parser: in chunks because reading
    it whole takes about 4x the data's size at its peak; every column, because with usecols pandas
    drops the cells of a row that has too many instead of refusing it."""
    pandas = _pandas()
    try:
        with warnings.catch_warnings():
            # pandas only warns when the first row has a cell too many, and drops it: make it an error
            warnings.simplefilter("error", pandas.errors.ParserWarning)
            yield from pandas.read_csv(
                io.StringIO(text) if text is not None else source,
                chunksize=CHUNK,
                na_filter=False,  # an empty cell or "nan" is an error to report, not a missing value
                skipinitialspace=True,
                index_col=False,  # a row with a cell too many is an error, not a row label
                encoding="utf-8-sig",
            )
    except pandas.errors.ParserWarning:
        raise InputError(
            f"{_name(source)} is not a well-formed CSV file: line 2 has more cells than the header"
        ) from None
    except pandas.errors.ParserError as error:
        raise InputError(f"{_name(source)} is not a well-formed CSV file: {_parser_message(error)}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(f"{_name(source)} cannot be read as CSV: {error}") from None


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    """``: did you mean 'size'?`` for the closest of ``choices``, or ``(its columns: …)``."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.7)
    if close:
        return f": did you mean {close[0]!r}?"
    return f" (its columns: {', '.join(choices)})"


def _pandas():
    try:
        # lazy: pandas takes about 0.3 s to import, and only fit reads tables
        import pandas
    except ImportError:
        raise InputError(f"fit reads CSV files with pandas, which is not installed: {INSTALL_HINT}") from None
    return pandas


def _name(source: str) -> str:
    return "standard input" if source == "-" else source


def _first_line(source: str) -> str:
    with open(source, encoding="utf-8-sig", newline="") as handle:
        return handle.readline()


def _header(line: str, name: str) -> tuple[str, ...]:
    if not line.strip():
        raise InputError(f"{name} is empty: it needs a header row of column names, then rows of numbers")
    names = tuple(cell.strip() for cell in next(csv.reader([line])))
    if all(_is_number(cell) for cell in names):
        raise InputError(
            f"the first line of {name} holds numbers, not column names: add a header row (e.g. size,price)"
        )
    return names


def _is_number(cell: str) -> bool:
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def _parser_message(error: Exception) -> str:
    # pandas says "Error tokenizing data. C error: Expected 2 fields in line 3, saw 3"
    message = str(error).strip()
    return message.split("C error: ", 1)[-1]


def _bad_cell(source: str, text: str | None, header: Sequence[str], column: str) -> InputError:
    """The error naming the first cell of ``column`` that is not a finite number, found by a slow scan."""
    index = list(header).index(column)
    handle = io.StringIO(text) if text is not None else open(source, encoding="utf-8-sig", newline="")
    with handle:
        reader = csv.reader(handle)
        next(reader)
        for cells in reader:
            if not cells:
                continue
            cell = cells[index].strip() if index < len(cells) else ""
            if not _is_number(cell):
                what = "is empty" if not cell else f"is {cell!r}, not a finite number"
                return InputError(
                    f"{_name(source)} line {reader.line_num}, column {column}: the cell {what}; fix the file"
                )
    return InputError(f"{_name(source)}: column {column} holds a cell that is not a number; fix the file")
