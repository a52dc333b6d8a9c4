"""Floats as people read them, without SymPy: loops and views of floats import this alone.

>>> number(16.0), number(-0.0), worked(-3.2, wrap=True)
('16', '0', '(−3.2)')
"""

from __future__ import annotations

import math

# Significant digits of a number in a worked step.
WORKED_DIGITS = 10


def number(value: float | None, digits: int = 12) -> str:
    """A float for people: ``16``, ``16.1245154966``, ``1.5e-07``; ``-`` when there is none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def worked(value: float, wrap: bool = False) -> str:
    """A float in a worked step: 10 significant digits and the minus sign −; in parentheses when
    negative and ``wrap`` (a factor or a power: 0.1·(−3.2), (−1.5)²)."""
    text = number(value, WORKED_DIGITS).replace("-", "−").replace("e−", "e-")
    return f"({text})" if wrap and text.startswith("−") else text


def fill(template: str, values) -> str:
    """A template of ``expression.readable.template`` with numbers in its slots, negative ones in
    parentheses: ``fill("2·{0} − 4", [0.4])`` is ``2·0.4 − 4``."""
    return template.format(*(worked(v, wrap=True) for v in values))
