"""What a learner should see around a fit: curvature before it, the exact answer and a verdict after.

For a model linear in its parameters, u = Φθ + u₀, the MSE loss has the constant Hessian (2/n)ΦᵀΦ,
so λmax, the largest stable learning rate 2/λmax and the condition number are known before the run,
and the least-squares θ solves the normal equations ΦᵀΦθ = Φᵀ(y − u₀).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy

from symgrad.analysis.landscape import Verdict

# Features whose standardized problem is this many times better conditioned earn a note.
SCALE_NOTE = 10.0


@dataclass(frozen=True)
class Curvature:
    """λmax and λmin of the Hessian, the stable bound 2/λmax and the condition number λmax/λmin."""

    largest: float
    smallest: float

    @classmethod
    def of(cls, hessian: np.ndarray) -> Curvature | None:
        if not np.isfinite(hessian).all():
            return None
        eigenvalues = np.linalg.eigvalsh((hessian + hessian.T) / 2)
        return cls(float(eigenvalues.max()), float(eigenvalues.min()))

    @property
    def stable_rate(self) -> float | None:
        return 2 / self.largest if self.largest > 0 else None

    @property
    def condition(self) -> float | None:
        if self.smallest <= 0:
            return math.inf if self.largest > 0 else None
        return self.largest / self.smallest


def linear_form(u, parameters, features) -> tuple[dict, object] | None:
    """({feature: its parameter}, the intercept or None) when u = Σ wⱼ·xⱼ (+ b) exactly, else None."""
    weights, intercept = {}, None
    for term in sympy.Add.make_args(sympy.expand(u)):
        if term in parameters and intercept is None:
            intercept = term
            continue
        factors = sympy.Mul.make_args(term)
        if len(factors) != 2:
            return None
        p, x = factors if factors[0] in parameters else factors[::-1]
        if p not in parameters or x not in features or x in weights:
            return None
        weights[x] = p
    used = set(weights.values()) | ({intercept} if intercept is not None else set())
    if len(used) != len(parameters) or set(weights) != set(features):
        return None
    return weights, intercept


@dataclass(frozen=True)
class Scaling:
    """Each feature's mean and standard deviation; the means are 0 when the model has no intercept."""

    means: dict[str, float]
    deviations: dict[str, float]

    def original(self, form, point: dict[str, float]) -> dict[str, float] | None:
        """The parameters in the original units, for a model u = Σ wⱼ·xⱼ (+ b)."""
        if form is None:
            return None
        weights, intercept = form
        out = dict(point)
        for x, w in weights.items():
            out[w.name] = point[w.name] / self.deviations[x.name]
        if intercept is not None:
            shift = sum(
                point[w.name] * self.means[x.name] / self.deviations[x.name] for x, w in weights.items()
            )
            out[intercept.name] = point[intercept.name] - shift
        return out


def normal_equations(partials, offset, target, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(ΦᵀΦ/n, Φᵀ(y − u₀)/n) from the columns ∂u/∂θⱼ (an array or one number each), without Φ."""
    k = len(partials)
    residual = target - offset if np.ndim(offset) or offset != 0 else target
    gram = np.empty((k, k))
    rhs = np.empty(k)
    columns = [p if np.ndim(p) else np.full(n, float(p)) for p in partials]
    for j in range(k):
        rhs[j] = np.dot(columns[j], residual) / n
        for i in range(j, k):
            gram[j, i] = gram[i, j] = np.dot(columns[j], columns[i]) / n
    return gram, rhs


def least_squares(gram: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """θ that minimizes the squared error: the normal equations solved by NumPy's lstsq."""
    return np.linalg.lstsq(gram, rhs, rcond=None)[0]


def verdict(hessian: np.ndarray, gradient_norm: float, *, settled: bool, convex: bool) -> Verdict:
    """What the end of a fit is, from the Hessian of L there (not from solving ∇L = 0, which for a sum
    over thousands of rows SymPy cannot do)."""
    curvature = Curvature.of(hessian)
    if not settled:
        return Verdict(
            None, None, f"not settled: ‖∇L‖ = {gradient_norm:.3g} at the end; try more --steps or --epochs"
        )
    if curvature is None:
        return Verdict(None, None, "the Hessian of L is not finite here, so no verdict")
    scale = max(abs(curvature.largest), 1e-300)
    if curvature.smallest > 1e-9 * scale:
        if convex:
            return Verdict("minimum", True, "minimum (global: L is convex in the parameters)")
        return Verdict("minimum", None, "minimum: the Hessian of L is positive definite here (maybe local)")
    if curvature.smallest < -1e-9 * scale:
        return Verdict(
            "saddle", None, "saddle point: L falls in some direction; try another --start or --batch"
        )
    if convex:
        return Verdict(
            "minimum",
            True,
            "minimum (global: L is convex), but flat in some direction: other parameters fit as well",
        )
    return Verdict(None, None, "flat: the Hessian of L is singular here, so other parameters fit as well")
