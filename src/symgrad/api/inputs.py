"""What a Python caller gives, turned into the words the command line takes, so that one parser reads both.

An expression may be SymPy's: it is printed as text and parsed again, so the same whitelist applies.
A point is a dict (``{"x": 1}``), a tuple in variable order (``(1, 2)``) or the text of ``--at``.

>>> points([{"x": 1, "y": 2}, (3, 4)])
['x=1,y=2', '3,4']
>>> definitions({"a": 2, "g(u)": "u**2"})
['a=2', 'g(u)=u**2']
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Union

import sympy

from symgrad.errors import InputError
from symgrad.expression.printing import to_text

Point = Union[Mapping[Any, Any], tuple, str, float, int]  # noqa: UP007 - a runtime alias for hints
Points = Union[Point, list]  # noqa: UP007


def expression_text(expr: Any) -> str:
    """The text of ``expr``: a string as it is, a SymPy expression (or a number) as symgrad writes it."""
    if isinstance(expr, str):
        return expr
    if isinstance(expr, (sympy.Basic, numbers.Number)):
        return value_text(expr)
    raise InputError(f"an expression is a string or a SymPy expression, got {type(expr).__name__}")


def value_text(value: Any) -> str:
    """A number as symgrad reads it: ``2``, ``0.1`` (read exactly as 1/10), ``1/3``, ``pi/4``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise InputError(f"a value is a number, got {value!r}")
    if isinstance(value, sympy.Basic):
        return to_text(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    raise InputError(f"a value is a number, a string or a SymPy expression, got {type(value).__name__}")


def point_text(point: Point) -> str:
    """One point as ``--at`` takes it: ``x=1,y=2`` from a dict, ``1,2`` from a tuple in variable order."""
    if isinstance(point, str):
        return point
    if isinstance(point, Mapping):
        if not point:
            raise InputError("a point needs at least one value, e.g. {'x': 1}")
        return ",".join(f"{name}={value_text(value)}" for name, value in point.items())
    if isinstance(point, (tuple, list)):
        if not point:
            raise InputError("a point needs at least one value, e.g. (1, 2)")
        return ",".join(value_text(value) for value in point)
    return value_text(point)


def points(at: Points | None) -> list[str]:
    """``at`` as a list of ``--at`` texts: a list holds several points, anything else is one.

    ``[1, 2]`` is two points of one variable; ``(1, 2)`` one point of two variables.
    """
    if at is None:
        return []
    if isinstance(at, list):
        return [point_text(item) for item in at]
    return [point_text(at)]


def definitions(let: Mapping[str, Any] | Sequence[str] | str | None) -> list[str]:
    """``let`` as ``--let`` texts: ``{"a": 2}`` or ``["a=2"]`` give ``["a=2"]``."""
    if let is None:
        return []
    if isinstance(let, str):
        return [let]
    if isinstance(let, Mapping):
        return [f"{name}={expression_text(value)}" for name, value in let.items()]
    return [str(item) for item in let]


def names(given: str | Sequence[str] | None) -> str | None:
    """Variables as ``--vars`` takes them: ``"x,y"`` from ``"x,y"`` or ``["x", "y"]``."""
    if given is None or isinstance(given, str):
        return given
    return ",".join(str(name) for name in given)


def words(given: str | Sequence[str] | None) -> list[str]:
    """A name or several, as a list: ``"x"`` gives ``["x"]``, ``("x", "y")`` gives ``["x", "y"]``."""
    if given is None:
        return []
    if isinstance(given, str):
        return [given]
    return [str(word) for word in given]


def listed(given: str | float | Sequence[Any]) -> str:
    """A comma list as the command line takes it: ``[0.1, 0.01]`` gives ``"0.1,0.01"``."""
    if isinstance(given, str):
        return given
    if isinstance(given, (list, tuple)):
        return ",".join(value_text(item) if not isinstance(item, str) else item for item in given)
    return value_text(given)
