"""The arguments and options that several commands share, declared once.

A command module makes the few that take a parameter once (``Expr = expression_argument("x**2+y**2")``,
``Formats = format_option(Format.text, Format.json)``) and names them in its signatures, where
everything after the expression is keyword-only: ``def hessian(expression: Expr, *, at: Points = None)``.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

import typer

from symgrad.errors import InputError


def expression_argument(example: str):
    """The expression argument, with an example that suits the command; ``-`` reads standard input."""
    return Annotated[str, typer.Argument(help=f"The expression, e.g. '{example}'; - reads stdin.")]


def expression_text(text: str) -> str:
    """The expression argument's text; ``-`` reads it from standard input."""
    if text != "-":
        return text
    if sys.stdin is None or sys.stdin.closed:
        raise InputError("the expression argument was '-' but there is no standard input to read")
    data = _read_stdin().lstrip("\ufeff").strip()  # without the byte-order mark some editors write
    if not data:
        raise InputError("no expression on standard input (the expression argument was '-')")
    lines = [line.strip() for line in data.splitlines() if line.strip()]
    for i, (line, following) in enumerate(zip(lines, lines[1:]), 2):
        # One expression may be split over lines ("x**2\n+ 3*x"), but two lines that would read as an
        # implied product ("x**2\ny") are more likely two expressions.
        if re.search(r"[\w.)]$", line) and re.match(r"[\w.(]", following):
            raise InputError(
                f"standard input holds more than one expression (line {i} does not continue line "
                f"{i - 1}): give one, or end a line with an operator to continue it"
            )
    return " ".join(lines)


def _read_stdin() -> str:
    """Standard input as UTF-8 text, read no further than an expression may be long."""
    # lazy: parse loads SymPy, which `symgrad --help` must not
    from symgrad.expression.tokens import MAX_LENGTH

    room = 2 * MAX_LENGTH  # room for blank lines and indentation around the longest expression
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # a text stream given by a caller (tests): already decoded
        text = sys.stdin.read(room + 1)
    else:
        raw = binary.read(4 * room + 4)  # a character is at most 4 bytes in UTF-8
        try:
            text = codecs.getincrementaldecoder("utf-8")().decode(raw, final=len(raw) <= 4 * room)
        except UnicodeDecodeError as error:
            where = f"byte {error.start + 1} is {raw[error.start]:#04x}"
            raise InputError(f"standard input is not valid UTF-8 text ({where}): save it as UTF-8") from None
    if len(text) > room:
        raise InputError(f"standard input is too long (the limit is {MAX_LENGTH} characters of expression)")
    return text


Points = Annotated[
    list[str] | None,
    typer.Option(
        "--at",
        help="A point: x=1,y=2 or 1,2 in variable order; values may be exact (1/3, pi/4). Repeatable.",
    ),
]


def point_option(example: str = "x=1,y=2 or 1,2"):
    """``--at`` for a command that works at exactly one point, which it requires."""
    return Annotated[str, typer.Option("--at", help=f"The point: {example} in variable order.")]


Variables = Annotated[
    str | None,
    typer.Option(
        "--vars",
        help="The variables, in order, e.g. x,y (default: every name, in natural order); "
        "any other name is a constant, given with --let.",
    ),
]

Definitions = Annotated[
    list[str] | None,
    typer.Option(
        "--let",
        help="A constant's value (a=2), a named quantity (t=20-2*T) or a function ('g(u)=u**2'); "
        "derivatives go through definitions by the chain rule. Repeatable.",
    ),
]

Plain = Annotated[
    bool,
    typer.Option("--plain", help="Write expressions in SymPy syntax (x**2) instead of as maths (x²)."),
]


@dataclass(frozen=True)
class Style:
    """How the text view writes maths: as SymPy syntax (``plain``), and fractions as decimals."""

    plain: bool = False
    decimals: bool = False


MATHS = Style()  # the default: readable maths, exact fractions


Decimals = Annotated[
    bool,
    typer.Option("--decimals", help="Write exact fractions in expressions as decimals (-T/50 as -0.02T)."),
]


class Format(StrEnum):
    """What a command prints: a Rich view, or JSON, LaTeX or CSV for another program."""

    text = "text"
    json = "json"
    latex = "latex"
    csv = "csv"


def format_option(*offered: Format):
    """``--format``/``-f`` offering only the formats a command has views for.

    A Literal of enum members makes Typer list just these (``<text|json>``) and refuse the others
    as a usage error (exit 2), while the command still receives a ``Format``.
    """
    return Annotated[Literal[offered], typer.Option("--format", "-f", help="Output format.")]


def _finite_timeout(seconds: float) -> float:
    if seconds != seconds:  # NaN passes the range check: every comparison with it is false
        raise typer.BadParameter("nan is not a number of seconds")
    return seconds


Timeout = Annotated[
    float,
    typer.Option(
        help="Give up after this many seconds of computation (exit 3); 0 means no limit.",
        min=0.0,
        max=86_400.0,
        callback=_finite_timeout,
    ),
]
