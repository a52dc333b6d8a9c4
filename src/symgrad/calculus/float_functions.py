"""Float versions of what derivatives bring in that the math and numpy modules lack.

Both ways of compiling (``calculus.compile`` through lambdify, ``calculus.source`` through SymEngine)
put these in the compiled code's namespace, under the names SymPy prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import mpmath


def float_functions(backend: str) -> dict[str, Callable]:
    """The functions for ``backend`` (``"math"`` or ``"numpy"``), by the name SymPy prints.

    DiracDelta is 0 away from its point and undefined (NaN) at it; polygamma comes from mpmath.
    """

    def polygamma(order, x):
        try:
            return float(mpmath.polygamma(int(order), x))
        except (ValueError, ZeroDivisionError):  # the poles at 0, -1, -2, ...
            return math.nan

    def dirac_delta(x, order=0):
        return 0.0 if x != 0 else math.nan

    if backend == "math":
        return {"DiracDelta": dirac_delta, "polygamma": polygamma, "cbrt": math.cbrt, "sigmoid": sigmoid}
    # lazy: NumPy adds about 0.07 s to every command, and only grids (plots) use this backend
    import numpy

    return {
        "cbrt": numpy.cbrt,
        "DiracDelta": numpy.vectorize(dirac_delta, otypes=[float]),
        "polygamma": numpy.vectorize(polygamma, otypes=[float]),
        "erf": numpy.vectorize(math.erf, otypes=[float]),
        "gamma": numpy.vectorize(_gamma_or_nan, otypes=[float]),
        "sigmoid": lambda u: numpy.exp(-numpy.logaddexp(0.0, -u)),  # 1/(1 + e^(−u)), never overflowing
    }


def sigmoid(u: float) -> float:
    """σ(u) = 1/(1 + e^(−u)) in floats, written so that e^(±u) never overflows."""
    if u >= 0:
        return 1 / (1 + math.exp(-u))
    tail = math.exp(u)
    return tail / (1 + tail)


def _gamma_or_nan(x: float) -> float:
    try:
        return math.gamma(x)
    except (ValueError, OverflowError):
        return math.nan
