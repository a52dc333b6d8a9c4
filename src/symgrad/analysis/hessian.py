"""The results behind ``symgrad hessian``: the Hessian, its eigenvalues and what they mean for descent.

>>> result = hessian("x**2 + 4*y**2", at=["1,2"])
>>> result.evaluations[0].curvature.definiteness, result.evaluations[0].curvature.lr_max_stable
('positive definite', 0.25)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy

from symgrad import calculus
from symgrad.calculus.kinks import derivatives_at
from symgrad.errors import InputError, UndefinedValueError
from symgrad.expression.points import read_point
from symgrad.expression.reading import Expression, read_expression

# An eigenvalue this small next to the largest one counts as zero: float rounding in eigvalsh is
# about 1e-16 of the largest, so 1e-9 leaves room for entries that are themselves rounded.
ZERO_EIGENVALUE = 1e-9


@dataclass(frozen=True)
class Curvature:
    """Eigen-analysis of a symmetric matrix and what it means for gradient descent."""

    eigenvalues: tuple[float, ...]  # ascending
    definiteness: str
    condition_number: float | None  # max|λ|/min|λ|; None when an eigenvalue is zero
    lr_max_stable: float | None  # 2/λmax; only for a positive definite matrix
    lr_best: float | None  # 2/(λmin+λmax); only for a positive definite matrix
    contraction: float | None  # (κ-1)/(κ+1): error factor per step at lr_best
    explanation: str


@dataclass(frozen=True)
class HessianAt:
    point: dict
    exact: tuple[tuple, ...]  # sympy.Expr entries; None for an entry too long to read
    numeric: tuple[tuple[float, ...], ...]
    curvature: Curvature


@dataclass(frozen=True)
class HessianResult:
    function: Expression
    hessian: tuple[tuple, ...]  # sympy.Expr entries
    evaluations: tuple[HessianAt, ...]


def is_zero(value: float, scale: float) -> bool:
    return abs(value) <= ZERO_EIGENVALUE * max(1.0, scale)


def definiteness(eigenvalues: Sequence[float]) -> str:
    """``positive definite``, ``indefinite``, ``negative semidefinite``... from the eigenvalues."""
    scale = max((abs(v) for v in eigenvalues), default=0.0)
    positive = sum(1 for v in eigenvalues if v > 0 and not is_zero(v, scale))
    negative = sum(1 for v in eigenvalues if v < 0 and not is_zero(v, scale))
    zero = len(eigenvalues) - positive - negative
    if positive and negative:
        return "indefinite"
    if zero == len(eigenvalues):
        return "zero"
    sign = "positive" if positive else "negative"
    return f"{sign} {'semidefinite' if zero else 'definite'}"


def curvature(matrix: Sequence[Sequence[float]]) -> Curvature:
    """Eigenvalues, definiteness, condition number and gradient-descent step sizes of ``matrix``.

    >>> curvature([[2.0, 0.0], [0.0, 8.0]]).lr_best
    0.2
    """
    eigenvalues = tuple(float(v) for v in numpy.linalg.eigvalsh(numpy.array(matrix, dtype=float)))
    kind = definiteness(eigenvalues)
    scale = max((abs(v) for v in eigenvalues), default=0.0)
    magnitudes = [abs(v) for v in eigenvalues]
    condition = None
    if magnitudes and not any(is_zero(v, scale) for v in eigenvalues):
        condition = max(magnitudes) / min(magnitudes)
    lr_max = lr_best = contraction = None
    if kind == "positive definite":
        low, high = eigenvalues[0], eigenvalues[-1]
        lr_max, lr_best = 2 / high, 2 / (low + high)
        contraction = (condition - 1) / (condition + 1)
        explanation = (
            "a bowl (curving up in every direction): near here gradient descent behaves as on "
            "the quadratic with this Hessian, so the step sizes above apply"
        )
    elif kind == "negative definite":
        explanation = (
            "a cap (curving down in every direction): gradient descent moves away from here, so "
            "no learning rate makes it converge to this point"
        )
    elif kind == "indefinite":
        explanation = (
            "a saddle shape: curving up in some directions and down in others; descent goes "
            "down the negative-curvature directions, so no learning rate converges to this point"
        )
    elif kind == "positive semidefinite":
        explanation = (
            "flat in some direction (a zero eigenvalue): steps are stable along the curved "
            f"directions for lr < 2/λmax = {2 / eigenvalues[-1]:.6g}, but the flat directions "
            "do not pull towards a point, so there is no condition number or best lr"
        )
    elif kind == "negative semidefinite":
        explanation = (
            "curving down or flat in every direction: gradient descent does not converge to this "
            "point, so there is no stable or best lr"
        )
    else:
        explanation = "no curvature at all (the Hessian is zero): the quadratic model is flat"
    return Curvature(eigenvalues, kind, condition, lr_max, lr_best, contraction, explanation)


def hessian_at(entries: Sequence[Sequence], point: dict, function: Expression) -> HessianAt:
    """The Hessian's exact and float entries at ``point`` and their eigen-analysis.

    Each entry is taken as a limit, so one at a kink of a first derivative is refused, not guessed.
    """
    symbols = function.variables
    n = len(entries)
    paths = [[symbols[i], symbols[j]] for i in range(n) for j in range(n)]
    flat = derivatives_at(function.expr, paths, point, [e for row in entries for e in row], bounded=True)
    values = tuple(flat[i * n : (i + 1) * n] for i in range(n))
    numeric = tuple(tuple(value.numeric for value in row) for row in values)
    if any(v is None for row in numeric for v in row):
        raise UndefinedValueError("a Hessian entry is too large for a float at this point")
    exact = tuple(tuple(value.exact for value in row) for row in values)
    return HessianAt(point, exact, numeric, curvature(numeric))


def hessian(
    text: str, *, at: Sequence[str] = (), variables: str | None = None, let: Sequence[str] = ()
) -> HessianResult:
    """The Hessian of ``text`` in variable order, analysed at each point in ``at``."""
    function = read_expression(text, variables, let=let)
    if not function.variables:
        raise InputError("the expression has no variables: give them with --vars, e.g. --vars x,y")
    entries = calculus.hessian(function.expr, function.variables)
    points = [read_point(function, point) for point in at]
    return HessianResult(function, entries, tuple(hessian_at(entries, p, function) for p in points))
