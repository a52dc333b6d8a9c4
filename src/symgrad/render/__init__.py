"""Turn results into what a person or a program reads: Rich views, JSON, CSV and LaTeX.

JSON and CSV are written with plain ``print`` so that piped output is never wrapped or coloured.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from symgrad.expression.floats import number
from symgrad.expression.printing import to_text
from symgrad.expression.readable import readable

# How text views write maths, set once per command by the command line: (plain, decimals).
_STYLE: ContextVar[tuple[bool, bool]] = ContextVar("style", default=(False, False))


@contextmanager
def writing(*, plain: bool = False, decimals: bool = False) -> Iterator[None]:
    """Text views inside this block write maths as SymPy syntax (``plain``) and fractions as decimals."""
    token = _STYLE.set((plain, decimals))
    try:
        yield
    finally:
        _STYLE.reset(token)


def maths(expr) -> str:
    """An expression for a text view: ``9x² − 10x``, or SymPy syntax under ``writing(plain=True)``.

    JSON never uses this: it keeps ``to_text``, which symgrad reads back.
    """
    plain, decimals = _STYLE.get()
    if plain:
        return to_text(expr)
    return readable(expr, decimals=decimals)


def console(stderr: bool = False):
    """A Rich console; off a terminal it is wide and plain, so values are never wrapped."""
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    return Console(
        file=stream,
        width=None if terminal else 10_000,
        highlight=False,
        soft_wrap=not terminal,
    )


def show(renderable) -> None:
    """Print a Rich renderable; off a terminal, without the padding Rich puts after cells."""
    out = console()
    if out.is_terminal:
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    lines = [line.rstrip() for line in captured.get().splitlines()]
    sys.stdout.write("\n".join(lines) + "\n")


def emit_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


NO_EXACT = "—"  # in the exact column, for a value too long to read: the decimal column has it


def exact_maths(expr) -> str:
    """``maths`` of an exact value, or ``—`` where only its decimal was computed."""
    return NO_EXACT if expr is None else maths(expr)


def exact_json(expr) -> str | None:
    """``to_text`` of an exact value, or None (null) where only its decimal was computed."""
    return None if expr is None else to_text(expr)


def decimal(exact, numeric: float | None) -> str:
    """The decimal column beside an exact value: its float, or for a value beyond the floats' range
    (about 1.8e308) the exact value rounded to 12 digits."""
    if numeric is not None and math.isfinite(numeric):
        return number(numeric)
    mantissa, _, exponent = str(exact.evalf(12)).partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + ("e" + exponent if exponent else "")


def json_number(value: float | None) -> float | None:
    """A float that JSON can carry, or None for inf and nan."""
    if value is None or not math.isfinite(value):
        return None
    return value


def markup_escape(text: str) -> str:
    """``text`` with Rich's markup brackets escaped, so [x, y] prints as written."""
    return escape(text)


def facts(rows):
    """A two-column grid of (name, value) rows, names in bold; cells are text, never markup."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for row in rows:
        grid.add_row(*(markup_escape(cell) for cell in row))
    return grid


def table(headers, rows):
    """A borderless table with bold headers; cells are text, never markup."""
    view = Table(*headers, box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    for row in rows:
        view.add_row(*(markup_escape(cell) for cell in row))
    return view


def point_json(point: dict) -> dict:
    """A point for JSON: each variable's exact value as text."""

    return {symbol.name: to_text(value) for symbol, value in point.items()}
