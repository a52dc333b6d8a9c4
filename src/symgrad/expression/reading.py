"""An expression with its variables in a fixed order.

>>> f = read_expression("x**2 + 4*y**2")
>>> f.names
('x', 'y')
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

import sympy

from symgrad.errors import InputError
from symgrad.expression.functions import CONSTANTS, FUNCTIONS
from symgrad.expression.parse import parse_expression

_NAME = re.compile(r"[^\W\d]\w*")


@dataclass(frozen=True)
class Expression:
    """A parsed expression and the order of its variables (used for vectors and positional points)."""

    text: str
    expr: object  # sympy.Expr
    variables: tuple  # of sympy.Symbol, in order

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)


def natural_key(name: str):
    """Sort key that puts x2 before x10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def read_expression(text: str, variables: str | None = None) -> Expression:
    """Parse ``text``; order the variables as ``variables`` ("x,y") says, else by natural name order."""
    expr = parse_expression(text)
    if not isinstance(expr, sympy.Expr) or expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InputError(f"the expression {text!r} is undefined as written ({expr})")
    free = sorted(expr.free_symbols, key=lambda s: natural_key(s.name))
    if variables is None:
        return Expression(text, expr, tuple(free))
    names = [name.strip() for name in variables.split(",")]
    for name in names:
        if not _NAME.fullmatch(name):
            raise InputError(f"--vars takes names separated by commas, e.g. x,y; got {name!r}")
        reserved = _reserved(name)
        if reserved:
            raise InputError(f"--vars names {name!r}, which is {reserved}, not a variable")
    if len(set(names)) != len(names):
        raise InputError(f"--vars names a variable twice: {variables}")
    symbols = tuple(sympy.Symbol(name, real=True) for name in names)
    missing = [s.name for s in free if s not in symbols]
    if missing:
        raise InputError(
            f"the expression also uses {', '.join(missing)}: add it to --vars "
            f"(e.g. --vars {','.join(names + missing)})"
        )
    return Expression(text, expr, symbols)


def _reserved(name: str) -> str | None:
    """What ``name`` already is in an expression (a constant, a function, a word of Python), if anything."""
    if name in CONSTANTS:
        return "a constant"
    if name.lower() in ("nan", "inf", "infinity") or name in ("oo", "zoo"):
        return "a value that is not finite"
    if name in FUNCTIONS:
        return "a function"
    if keyword.iskeyword(name) and name != "lambda":
        return "a reserved word"
    return None
