"""An expression with its variables in a fixed order.

>>> f = read_expression("x**2 + 4*y**2")
>>> f.names
('x', 'y')
>>> g = read_expression("q", "T", let=["q=5*t", "t=20-2*T"])
>>> g.expr, g.written
(100 - 10*T, q)

``--vars`` (or the arguments of ``f(x, y) = …``) name the variables; every other symbol is a constant,
given a value by ``--let a=2`` (put in before any calculus) or, where a command allows it, by ``--at``.
``--let t=20-2*T`` defines a named quantity and ``--let "g(u)=u**2"`` a function: both are put in to
give ``expr``, while ``written`` keeps the names for explaining the chain rule through them.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from symgrad.errors import InputError
from symgrad.expression.functions import CONSTANTS, FUNCTIONS
from symgrad.expression.notation import Definition, expand, read_definitions, read_statement
from symgrad.expression.parse import parse_expression

_NAME = re.compile(r"[^\W\d]\w*")


@dataclass(frozen=True)
class Expression:
    """A parsed expression and the order of its variables (used for vectors and positional points)."""

    text: str
    expr: object  # sympy.Expr, every --let put in
    variables: tuple  # of sympy.Symbol, in order
    name: str = "f"  # as the left side of "Battery(time) = ..." calls it
    written: object = None  # sympy.Expr with the names --let defines kept; None when there are none
    definitions: tuple[Definition, ...] = ()
    constants: tuple = ()  # the other symbols of expr (sympy.Symbol), held fixed; values come from --at
    wrt: str | None = None  # the x of a leading d/dx

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)

    @property
    def chain(self) -> tuple[Definition, ...]:
        """The named quantities and functions ``written`` goes through (not the plain numbers)."""
        return tuple(d for d in self.definitions if not d.is_value)


def natural_key(name: str):
    """Sort key that puts x2 before x10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def read_expression(
    text: str,
    variables: str | None = None,
    *,
    let: Sequence[str] = (),
    constants: bool = False,
    derivative: bool = False,
) -> Expression:
    """Parse ``text``; order the variables as ``variables`` ("x,y") says, else by natural name order.

    ``let`` holds ``NAME=VALUE``/``NAME=EXPR``/``NAME(ARGS)=EXPR`` definitions. With ``constants`` a
    symbol outside ``variables`` may stay without a value; ``derivative`` allows a leading ``d/dx``.
    """
    statement = read_statement(text)
    if statement.wrt is not None and not derivative:
        raise InputError(
            f"d/d{statement.wrt} asks for a derivative: use symgrad diff (or drop d/d{statement.wrt} "
            "to work with the function itself)"
        )
    definitions = read_definitions(let)
    for name in [statement.name, *statement.parameters, *(d.name for d in definitions)]:
        _refuse_reserved(name, "is used as a name")
    callable_names = frozenset(d.name for d in definitions if d.parameters)
    written = parse_expression(statement.body, callable_names)
    expr = expand(written, definitions)
    if not isinstance(expr, sympy.Expr) or expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InputError(f"the expression {text!r} is undefined as written ({expr})")
    free = sorted(expr.free_symbols, key=lambda s: natural_key(s.name))
    if variables is None and statement.parameters:
        variables = ",".join(statement.parameters)
    elif variables is not None and statement.parameters and _names(variables) != list(statement.parameters):
        raise InputError(
            f"--vars {variables} and {statement.name}({', '.join(statement.parameters)}) name different "
            "variables: give one of them"
        )
    symbols = tuple(free) if variables is None else _symbols(variables, definitions)
    fixed = tuple(s for s in free if s not in symbols)
    if fixed and not constants:
        names = [s.name for s in fixed]
        raise InputError(
            f"the expression also uses {', '.join(names)}, which has no value here: give it with --let "
            f"{names[0]}=VALUE, or add it to --vars (e.g. --vars {','.join(_names_of(symbols) + names)})"
        )
    return Expression(
        text,
        expr,
        symbols,
        statement.name,
        written if written != expr else None,
        definitions,
        fixed,
        statement.wrt,
    )


def _names(variables: str) -> list[str]:
    return [name.strip() for name in variables.split(",")]


def _names_of(symbols) -> list[str]:
    return [s.name for s in symbols]


def _symbols(variables: str, definitions: Sequence[Definition]) -> tuple:
    names = _names(variables)
    for name in names:
        if not _NAME.fullmatch(name):
            raise InputError(f"--vars takes names separated by commas, e.g. x,y; got {name!r}")
        reserved = _reserved(name)
        if reserved:
            raise InputError(f"--vars names {name!r}, which is {reserved}, not a variable")
    if len(set(names)) != len(names):
        raise InputError(f"--vars names a variable twice: {variables}")
    defined = [d.name for d in definitions if d.name in names]
    if defined:
        raise InputError(f"{defined[0]} is both a variable (--vars) and defined by --let: choose one")
    return tuple(sympy.Symbol(name, real=True) for name in names)


def _refuse_reserved(name: str, what: str) -> None:
    reserved = _reserved(name)
    if reserved:
        raise InputError(f"{name!r} {what} but is {reserved}: choose another name")


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
