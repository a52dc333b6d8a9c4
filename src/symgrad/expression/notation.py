"""What textbooks write around an expression: ``f(x) = …``, ``d/dx …`` and definitions for ``--let``.

>>> read_statement("Battery(time) = 100 - 10*time")
Statement(name='Battery', parameters=('time',), body='100 - 10*time', wrt=None)
>>> read_statement("d/dx(x^2)")
Statement(name='f', parameters=(), body='(x^2)', wrt='x')
>>> read_definition("g(u)=u**2")
Definition(name='g', parameters=(u,), body=u**2)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from symgrad.errors import InputError
from symgrad.expression.parse import parse_expression

_NAME = r"[^\W\d]\w*"
# A name, or a name applied to names: the left side of f(x) = … and of --let "g(u) = …".
_LEFT = re.compile(rf"\s*({_NAME})\s*(?:\(\s*({_NAME}(?:\s*,\s*{_NAME})*)\s*\))?\s*")
# d/dx or ∂/∂x, then the expression: after a space or a parenthesis, so d/dx*y stays a quotient.
_DERIVATIVE = re.compile(rf"\s*([d∂])\s*/\s*\1\s*({_NAME})(?=[\s(])\s*(.+)", re.S)


@dataclass(frozen=True)
class Statement:
    """An expression as typed: its name (``f`` unless given), its arguments, the text after ``=``, and
    the variable of a leading ``d/dx``."""

    name: str
    parameters: tuple[str, ...]
    body: str
    wrt: str | None


@dataclass(frozen=True)
class Definition:
    """``--let t=20-2*T`` (a named quantity or a constant's value) or ``--let "g(u)=u**2"`` (a function)."""

    name: str
    parameters: tuple  # of sympy.Symbol; empty for a quantity
    body: object  # sympy.Expr

    @property
    def symbol(self):
        return sympy.Symbol(self.name, real=True)

    @property
    def is_value(self) -> bool:
        """A plain number, such as the data x=2 of a loss: a constant rather than a step of a chain."""
        return not self.parameters and not self.body.free_symbols


def read_statement(text: str) -> Statement:
    """Split ``f(x) = EXPR``, ``y = EXPR`` and ``d/dx EXPR`` into their parts; plain text is the body."""
    name, parameters, body = "f", (), text
    if _top_level_equals(text):
        left, _, body = text.partition("=")
        if "=" in body:
            raise InputError("an expression has at most one '=', as in f(x) = x^2")
        name, parameters = _left_side(left, "the left side of '='", "f(x) = x^2 or y = x^2")
        if not body.strip():
            raise InputError(f"nothing after '=' in {text!r}: write the expression, e.g. {left.strip()}=x^2")
    wrt = None
    match = _DERIVATIVE.fullmatch(body)
    if match:
        wrt, body = match.group(2), match.group(3)
    return Statement(name, parameters, body.strip(), wrt)


def read_definition(text: str) -> Definition:
    """One ``--let``: ``NAME=VALUE``, ``NAME=EXPR`` or ``NAME(ARGS)=EXPR``."""
    if "=" not in text:
        raise InputError(f"--let takes NAME=VALUE or NAME=EXPRESSION, e.g. --let t=20-2*T; got {text!r}")
    left, _, right = text.partition("=")
    name, parameters = _left_side(left, "--let", "--let a=2, --let t=20-2*T or --let 'g(u)=u**2'")
    if not right.strip():
        raise InputError(f"--let {name}= gives no value: write e.g. --let {name}=2")
    symbols = tuple(sympy.Symbol(p, real=True) for p in parameters)
    body = parse_expression(right)
    if not isinstance(body, sympy.Expr) or body.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InputError(f"--let {name} is undefined as written ({body})")
    return Definition(name, symbols, body)


def read_definitions(texts: Sequence[str]) -> tuple[Definition, ...]:
    """Every ``--let``, each name once."""
    definitions = tuple(read_definition(text) for text in texts)
    names = [d.name for d in definitions]
    for name in dict.fromkeys(names):
        if names.count(name) > 1:
            raise InputError(f"--let gives {name} {names.count(name)} times: give it once")
    return definitions


def expand(expr, definitions: Sequence[Definition]):
    """``expr`` with every defined name and function replaced by its definition, as deep as they go."""
    for _ in range(len(definitions) + 1):
        before = expr
        for definition in definitions:
            expr = _put_in(expr, definition)
        if expr == before:
            return expr
    cycle = ", ".join(d.name for d in definitions if _uses(expr, d))
    raise InputError(f"--let definitions refer to each other in a circle ({cycle}): break the circle")


def _put_in(expr, definition: Definition):
    if not definition.parameters:
        return expr.xreplace({definition.symbol: definition.body})

    def applied(e) -> bool:
        return isinstance(e, sympy.core.function.AppliedUndef) and e.func.__name__ == definition.name

    def call(e):
        if len(e.args) != len(definition.parameters):
            raise InputError(
                f"{definition.name} takes {len(definition.parameters)} argument(s) as defined by --let, "
                f"got {len(e.args)}"
            )
        return definition.body.xreplace(dict(zip(definition.parameters, e.args)))

    return expr.replace(applied, call)


def _uses(expr, definition: Definition) -> bool:
    if definition.parameters:
        return any(getattr(f.func, "__name__", "") == definition.name for f in expr.atoms(sympy.Function))
    return definition.symbol in expr.free_symbols


def _left_side(text: str, where: str, example: str) -> tuple[str, tuple[str, ...]]:
    match = _LEFT.fullmatch(text)
    if not match:
        raise InputError(f"{where} names a function or a quantity, e.g. {example}; got {text.strip()!r}")
    name = match.group(1)
    parameters = tuple(p.strip() for p in match.group(2).split(",")) if match.group(2) else ()
    if len(set(parameters)) != len(parameters):
        raise InputError(f"{where} names an argument twice: {text.strip()}")
    return name, parameters


def _top_level_equals(text: str) -> bool:
    """An '=' outside parentheses (inside them it is a mistake the parser explains)."""
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "=" and depth == 0:
            return True
    return False
