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

# Rows per compiled call: 2¹⁶ rows of float64 are 512 KB, so a block's arrays stay in cache.
BLOCK = 1 << 16
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
        # factor_terms writes 2u − 2y as 2(u − y), so that ℓ and ℓ′ share u − y in one compiled call.
        slope = sympy.factor_terms(sympy.diff(per_row, symbol))
        bend = sympy.factor_terms(sympy.diff(slope, symbol))
        params, features = model.parameters, model.features
        self.parameters = params
        partials = [sympy.diff(u, p) for p in params]
        second = [sympy.diff(d, q) for d in partials for q in params]
        inputs = (*params, *features)
        self._model = _compile([u, *partials], inputs)  # u and ∂u/∂θ at each row
        self._second = _compile(second, inputs)
        self._loss = _compile([per_row, slope], (symbol, _TARGET))  # ℓ and ℓ′ from u and y
        self._bend = _compile([slope, bend], (symbol, _TARGET))
        self.inner = calculus.compile_function(u, inputs, backend="numpy")
        self.feature_names = tuple(x.name for x in features)

    def value_and_gradient(self, point: Sequence[float], columns: Sequence[np.ndarray]):
        """(L, ∇L) at ``point`` over ``columns`` (the features in order, then the target)."""
        n = len(columns[-1])
        total, sums = 0.0, np.zeros(len(self.parameters))
        with np.errstate(over="ignore", under="ignore"):
            for block in _blocks(columns, n):
                u, *partials = self._model(*point, *block[:-1])
                values, slope = self._loss(u, block[-1])
                rows = len(block[-1])
                total += float(np.sum(values)) if np.ndim(values) else values * rows
                sums += [_product_sum(slope, d, rows) for d in partials]
        return total / n, tuple(float(s) for s in sums / n)

    def hessian(self, point: Sequence[float], columns: Sequence[np.ndarray]) -> np.ndarray:
        """∇²L = (1/n) Σᵢ (ℓ″·∂u/∂θⱼ·∂u/∂θₖ + ℓ′·∂²u/∂θⱼ∂θₖ) at ``point``."""
        n, k = len(columns[-1]), len(self.parameters)
        matrix = np.zeros((k, k))
        with np.errstate(over="ignore", under="ignore"):
            for block in _blocks(columns, n):
                rows = len(block[-1])
                u, *partials = self._model(*point, *block[:-1])
                slope, bend = self._bend(u, block[-1])
                second = self._second(*point, *block[:-1])
                bend = np.broadcast_to(bend, (rows,))
                for j in range(k):
                    weighted = bend * partials[j]
                    for i in range(k):
                        matrix[j, i] += _product_sum(weighted, partials[i], rows)
                        matrix[j, i] += _product_sum(slope, second[j * k + i], rows)
        return matrix / n

    def partials(self, point: Sequence[float], columns: Sequence[np.ndarray]) -> list:
        """∂u/∂θⱼ at ``point`` for each parameter: an array over the rows, or one number for all."""
        k = len(self.parameters)
        with np.errstate(over="ignore", under="ignore"):
            return list(self._model(*point, *columns[:-1])[1 : 1 + k])

    def predict(self, point: Sequence[float], features: Sequence[np.ndarray]):
        """u at each row (the margin z for logistic on σ(z)); one number when u uses no feature."""
        return self.inner((*point, *features))


def _blocks(columns: Sequence[np.ndarray], n: int):
    """The columns in slices of BLOCK rows (views, not copies): a block's temporaries stay in the
    processor's cache and take BLOCK floats each instead of n."""
    for low in range(0, n, BLOCK):
        yield [column[low : low + BLOCK] for column in columns]


def _product_sum(a, b, rows: int) -> float:
    """Σᵢ aᵢ·bᵢ over ``rows`` rows, where a or b may be one number standing for every row."""
    if np.ndim(a) and np.ndim(b):
        return float(np.dot(a, b))
    if np.ndim(a):
        return float(b * np.sum(a))
    if np.ndim(b):
        return float(a * np.sum(b))
    return float(a * b * rows)
