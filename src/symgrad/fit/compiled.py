"""The loss of a fit over its rows as NumPy arrays: one compiled call per step, no loop over rows.

The per-row loss ℓ(u, y) and ∂ℓ/∂u are differentiated once, symbolically, and compiled together with
the model's ∂u/∂θ (shared subexpressions computed once); the gradient is then the chain rule summed
over the rows, ∂L/∂θ = (1/n) Σᵢ ℓ′(uᵢ)·∂uᵢ/∂θ, as dot products.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy

from symgrad import calculus
from symgrad.fit.losses import Loss
from symgrad.fit.model import Model

_TARGET = sympy.Symbol("target·", real=True)  # a name no model can use
_NUMPY = {
    "softplus": lambda z: np.logaddexp(0.0, z),
    "sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)),
}


def _compile(exprs, arguments):
    # DiracDelta (from differentiating |r|) is zero wherever a float can land.
    exprs = [sympy.sympify(e).replace(sympy.DiracDelta, lambda *a: sympy.Integer(0)) for e in exprs]
    return sympy.lambdify(arguments, exprs, modules=[_NUMPY, "numpy"], cse=True)


class RowLoss:
    """L(θ) = (1/n) Σᵢ ℓ(u(θ, xᵢ), yᵢ), its gradient and Hessian, on columns given as arrays."""

    def __init__(self, model: Model, loss: Loss):
        u, margin = model.inner(loss)
        symbol = sympy.Symbol("u·", real=True)
        per_row = loss.per_row(symbol, _TARGET, margin=margin)
        slope = sympy.diff(per_row, symbol)
        bend = sympy.diff(slope, symbol)
        params, features = model.parameters, model.features
        self.parameters = params
        self.arguments = (*params, *features, _TARGET)
        partials = [sympy.diff(u, p) for p in params]
        second = [[sympy.diff(d, q) for q in params] for d in partials]
        filled = [e.xreplace({symbol: u}) for e in (per_row, slope, bend)]
        self._value = _compile([filled[0], filled[1], *partials], self.arguments)
        self._hessian = _compile([filled[1], filled[2], *partials, *sum(second, [])], self.arguments)
        self.inner = calculus.compile_function(u, (*params, *features), backend="numpy")
        self.feature_names = tuple(x.name for x in features)

    def value_and_gradient(self, point: Sequence[float], columns: Sequence[np.ndarray]):
        """(L, ∇L) at ``point`` over ``columns`` (the features in order, then the target)."""
        n = len(columns[-1])
        with np.errstate(over="ignore", under="ignore"):
            values, slope, *partials = self._value(*point, *columns)
        gradient = tuple(_mean_product(slope, d, n) for d in partials)
        return float(np.sum(values) / n if np.ndim(values) else values), gradient

    def hessian(self, point: Sequence[float], columns: Sequence[np.ndarray]) -> np.ndarray:
        """∇²L = (1/n) Σᵢ (ℓ″·∂u/∂θⱼ·∂u/∂θₖ + ℓ′·∂²u/∂θⱼ∂θₖ) at ``point``."""
        n, k = len(columns[-1]), len(self.parameters)
        with np.errstate(over="ignore", under="ignore"):
            slope, bend, *rest = self._hessian(*point, *columns)
        partials, second = rest[:k], rest[k:]
        bend = np.broadcast_to(bend, (n,))
        matrix = np.empty((k, k))
        for j in range(k):
            weighted = bend * partials[j]
            for i in range(k):
                matrix[j, i] = _mean_product(weighted, partials[i], n) + _mean_product(
                    slope, second[j * k + i], n
                )
        return matrix

    def partials(self, point: Sequence[float], columns: Sequence[np.ndarray]) -> list:
        """∂u/∂θⱼ at ``point`` for each parameter: an array over the rows, or one number for all."""
        k = len(self.parameters)
        with np.errstate(over="ignore", under="ignore"):
            return list(self._hessian(*point, *columns)[2 : 2 + k])

    def predict(self, point: Sequence[float], features: Sequence[np.ndarray]) -> np.ndarray:
        """u at each row (the margin z for logistic on σ(z))."""
        n = len(features[0]) if features else 1
        return np.broadcast_to(np.asarray(self.inner((*point, *features)), dtype=float), (n,))


def _mean_product(a, b, n: int) -> float:
    """(1/n) Σᵢ aᵢ·bᵢ, where a or b may be one number standing for every row."""
    if np.ndim(a) and np.ndim(b):
        return float(np.dot(a, b) / n)
    if np.ndim(a):
        return float(b * np.sum(a) / n)
    if np.ndim(b):
        return float(a * np.sum(b) / n)
    return float(a * b)
