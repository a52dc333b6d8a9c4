"""symgrad: symbolic calculus for machine learning, on the command line and from Python.

>>> import symgrad
>>> symgrad.diff("3*x**3-5*x**2+2", at={"x": 2}).value
16

Importing the package is cheap: the functions (``diff``, ``grad``, ``hessian``, ``critical``, ``check``,
``descend``) are looked up on first use, and only then is SymPy loaded, so ``symgrad --help`` and
``import symgrad`` start fast. The errors they raise are importable from here; each carries the exit
code the command line gives it (``InputError`` 2, ``MathError`` 1, ``TimeLimitError`` 3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symgrad.errors import (
    DivergedError,
    InputError,
    MathError,
    NotDifferentiableError,
    ParseError,
    SymgradError,
    TimeLimitError,
    UndefinedValueError,
)

if TYPE_CHECKING:
    from symgrad.api import check, critical, descend, diff, grad, hessian

__version__ = "0.1.0"

# Names symgrad.api defines, loaded on first use: the API imports SymPy. A new API function
# (fit, taylor) is added here and in symgrad.api.
_LAZY = ("diff", "grad", "hessian", "critical", "check", "descend")

__all__ = [
    "check",
    "critical",
    "descend",
    "diff",
    "grad",
    "hessian",
    "DivergedError",
    "InputError",
    "MathError",
    "NotDifferentiableError",
    "ParseError",
    "SymgradError",
    "TimeLimitError",
    "UndefinedValueError",
    "__version__",
]


def __getattr__(name: str):
    if name in _LAZY:
        # lazy: symgrad.api loads SymPy (about a second), which `import symgrad` must not
        from symgrad import api

        return getattr(api, name)
    raise AttributeError(f"module 'symgrad' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
