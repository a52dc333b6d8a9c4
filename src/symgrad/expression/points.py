"""Points and values: ``--at x=1,y=2``, ``1,2``, ``(1, 2)`` or ``[1, 2]`` read into exact values.

>>> from symgrad.expression.reading import read_expression
>>> read_point(read_expression("x**2 + 4*y**2"), "(1, 2)")
{x: 1, y: 2}
"""

from __future__ import annotations

from collections.abc import Collection

import sympy

from symgrad.errors import InputError, ParseError
from symgrad.expression.parse import parse_expression
from symgrad.expression.printing import to_text
from symgrad.expression.reading import Expression


def read_value(text: str, what: str):
    """An exact real number from text such as ``1/3``, ``pi/4``, ``sqrt(2)``, ``-1.5`` or ``1e-3``."""
    try:
        value = parse_expression(text)
    except ParseError as error:
        raise InputError(f"{what} is not a number: {text!r} ({error.message})") from None
    if value.free_symbols:
        raise InputError(f"{what} is not a number: {text!r}; use numbers such as 2, 1/3 or pi/4")
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InputError(f"{what} is undefined: {text!r}")
    numeric = complex(value.evalf(30))
    if numeric.imag != 0:
        raise InputError(f"{what} is not a real number: {text!r}")
    if not abs(numeric.real) < 1.7976931348623157e308:
        raise InputError(f"{what} is out of float range: {text!r}")
    return value


def one_per_variable(function: Expression, text: str, option: str, advice: str = "") -> list[str]:
    """``text`` split at its top-level commas, which must give one part per variable of ``function``."""
    parts = split_top_level(text)
    n = len(function.variables)
    if len(parts) != n:
        raise InputError(
            f"{option} has {len(parts)} component{'s' if len(parts) != 1 else ''} but the expression "
            f"has {n} variable{'s' if n != 1 else ''} ({', '.join(function.names)}){advice}"
        )
    return parts


def split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses (``atan2(1,2)`` stays whole)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def read_point(
    expression: Expression,
    text: str,
    option: str = "--at",
    *,
    constants: bool = False,
    optional: Collection = (),
) -> dict:
    """Values for every variable from ``x=1,y=2`` (any order), ``1,2`` or ``(1, 2)`` (in variable order).

    With ``constants`` the expression's constants may be given by name too, after the variables.
    Symbols in ``optional`` may be left out (a derivative that does not depend on them needs none).
    """
    parts = split_top_level(_unbracketed(text))
    if not text.strip() or any(not part for part in parts):
        raise InputError(f"{option} takes values such as x=1,y=2 or 1,2; got {text!r}")
    names = expression.names
    symbols = expression.variables + (expression.constants if constants else ())
    known = [s.name for s in symbols]
    named = [part for part in parts if "=" in part]
    if named and len(named) != len(parts):
        if len(named) == 1 and len(names) == 1 and parts[0] == named[0]:
            raise InputError(
                f"{option} {text} gives {names[0]} {len(parts)} values: the expression has one variable, "
                f"so repeat {option} for several points ({option} {names[0]}=2 {option} {names[0]}=3)"
            )
        raise InputError(f"{option} mixes name=value and bare values: write all as name=value")
    if not named:
        if len(parts) != len(names):
            raise InputError(
                f"{option} has {len(parts)} value{'s' if len(parts) != 1 else ''} but the "
                f"expression has {len(names)} variable{'s' if len(names) != 1 else ''}"
                f" ({', '.join(names) or 'none'}); give one value per variable in that order"
                + (f", or repeat {option} for several points" if len(names) == 1 else "")
            )
        pairs = list(zip(names, parts))
    else:
        pairs = []
        for part in parts:
            name, _, value = part.partition("=")
            name = name.strip()
            if name not in known:
                what = "a variable" + (" or a constant" if constants else "")
                raise InputError(
                    f"{option} names {name!r}, which is not {what} (variables: {', '.join(names) or 'none'})"
                )
            if name in dict(pairs):
                raise InputError(f"{option} gives {name} twice")
            pairs.append((name, value.strip()))
    given = dict(pairs)
    missing = [s.name for s in symbols if s.name not in given and s not in optional]
    if missing:
        where = "--let or " + option if constants else option
        raise InputError(
            f"{option} gives no value for {', '.join(missing)} (variables: {', '.join(names)})"
            + (f"; give it in {where}" if constants and set(missing) - set(names) else "")
        )
    return {
        symbol: read_value(given[symbol.name], f"the value of {symbol.name}")
        for symbol in symbols
        if symbol.name in given
    }


def _unbracketed(text: str) -> str:
    """``(1, 2)`` and ``[1, 2]`` as ``1, 2``: the brackets textbooks put around a point."""
    stripped = text.strip()
    if len(stripped) < 2 or (stripped[0], stripped[-1]) not in (("(", ")"), ("[", "]")):
        return text
    depth = 0
    for i, ch in enumerate(stripped):
        depth += ch in "(["
        depth -= ch in ")]"
        if depth == 0 and i < len(stripped) - 1:
            return text  # (1)+(2): the first bracket closes before the end
    return stripped[1:-1]


def format_point(point: dict) -> str:
    """``x=1, y=2`` for messages and headings."""
    return ", ".join(f"{symbol}={to_text(value)}" for symbol, value in point.items())
