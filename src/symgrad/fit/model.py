"""A fit's model: which of its names are data (columns) and which are parameters, and how the loss
and its gradient read, with the sum over rows written out as the teaching material writes it.

>>> model = read_model("w*size", ("size", "price"), target="price")
>>> model.parameter_names, model.feature_names
(('w',), ('size',))
>>> model.loss_text(read_loss("mse"))
'L(w) = (1/n) Σᵢ (priceᵢ − w·sizeᵢ)²'
>>> model.gradient_texts(read_loss("mse"))
('∂L/∂w = −(2/n) Σᵢ sizeᵢ·(priceᵢ − w·sizeᵢ)',)
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from symgrad.errors import InputError
from symgrad.expression.functions import sigmoid
from symgrad.expression.readable import readable
from symgrad.expression.reading import read_expression
from symgrad.fit.losses import Loss, read_loss  # noqa: F401 - read_loss is used by the example above


class _Row(sympy.Symbol):
    """A column's value in row i, written after the parameters in a product (w·sizeᵢ, not sizeᵢ·w)."""

    def sort_key(self, order=None):
        return ((9, 0, "Row"), (1, (self.name,)), sympy.S.One.sort_key(), sympy.S.One)


@dataclass(frozen=True)
class Model:
    """The model as read: its expression, parameters and features (symbols), and the target column."""

    text: str
    expr: object  # sympy.Expr in the parameters and features
    parameters: tuple  # sympy.Symbol, in order
    features: tuple  # sympy.Symbol of the columns it uses, in order
    target: str

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(x.name for x in self.features)

    @property
    def margin(self):
        """z when the model is σ(z) = 1/(1 + e⁻ᶻ), else None."""
        expr = self.expr
        if isinstance(expr, sigmoid):
            return sympy.expand(expr.args[0])
        if isinstance(expr, sympy.Pow) and expr.exp == -1 and isinstance(expr.base, sympy.Add):
            rest = expr.base - 1
            if isinstance(rest, sympy.exp):
                return sympy.expand(-rest.args[0])
        return None

    def inner(self, loss: Loss):
        """What the loss reads as u: the margin z for logistic on σ(z), else the model itself."""
        margin = self.margin if loss.name == "logistic" else None
        return (margin, True) if margin is not None else (self.expr, False)

    def is_linear(self, loss: Loss) -> bool:
        """Whether u (see ``inner``) is linear in the parameters: ∂u/∂θ does not depend on θ."""
        u, _ = self.inner(loss)
        return all(sympy.diff(u, p).free_symbols.isdisjoint(self.parameters) for p in self.parameters)

    # --- as the material writes it -----------------------------------------------------------------

    def shown(self) -> str:
        """The model with parameters before data in products (w·size), σ(z) written as σ."""
        margin = self.margin
        if margin is not None:
            return f"σ({readable(margin.xreplace({x: _Row(x.name, real=True) for x in self.features}))})"
        return readable(self.expr.xreplace({x: _Row(x.name, real=True) for x in self.features}))

    def _rows(self, expr) -> str:
        names = {x: _Row(f"{x.name}ᵢ", real=True) for x in self.features}
        return readable(expr.xreplace(names))

    def _residual(self) -> str:
        model = self._rows(self.expr)
        wrapped = f"({model})" if isinstance(self.expr, sympy.Add) else model
        return f"{self.target}ᵢ − {wrapped}"

    def loss_text(self, loss: Loss) -> str:
        """L(θ) as a mean over the rows i = 1, …, n."""
        head = f"L({', '.join(self.parameter_names)})"
        y, r = f"{self.target}ᵢ", self._residual()
        if loss.name == "mse":
            return f"{head} = (1/n) Σᵢ ({r})²"
        if loss.name == "mae":
            return f"{head} = (1/n) Σᵢ |{r}|"
        if loss.name == "huber":
            d = loss.delta
            return f"{head} = (1/n) Σᵢ H({r}), H(r) = r²/2 for |r| ≤ {d:g}, else {d:g}·(|r| − {d / 2:g})"
        margin = self.margin
        p = f"pᵢ = σ({self._rows(margin)})" if margin is not None else f"pᵢ = {self._rows(self.expr)}"
        return f"{head} = −(1/n) Σᵢ [{y}·log pᵢ + (1 − {y})·log(1 − pᵢ)], {p}"

    def gradient_texts(self, loss: Loss) -> tuple[str, ...]:
        """∂L/∂θ for each parameter θ, the chain rule applied through the sum."""
        r = self._residual()
        margin = self.margin if loss.name == "logistic" else None
        texts = []
        for p in self.parameters:
            inner = sympy.diff(margin if margin is not None else self.expr, p)
            factor = "" if inner == 1 else self._factor(inner)
            if loss.name == "mse":
                body = f"−(2/n) Σᵢ {factor}({r})"
            elif loss.name == "mae":
                body = f"−(1/n) Σᵢ {factor}sign({r})"
            elif loss.name == "huber":
                body = f"−(1/n) Σᵢ {factor}clip({r}, −{loss.delta:g}, {loss.delta:g})"
            elif margin is not None:
                body = f"(1/n) Σᵢ {factor}(pᵢ − {self.target}ᵢ)"
            else:
                body = f"(1/n) Σᵢ {factor}(pᵢ − {self.target}ᵢ)/(pᵢ·(1 − pᵢ))"
            texts.append(f"∂L/∂{p.name} = {body}")
        return tuple(texts)

    def _factor(self, expr) -> str:
        text = self._rows(expr)
        return f"({text})·" if isinstance(expr, sympy.Add) else f"{text}·"


def read_model(text: str, header: Sequence[str], *, target: str, params: str | None = None) -> Model:
    """Read ``text``: names that are columns of ``header`` are data, the others parameters (or those
    ``params`` names). A parameter named like a column (``sise`` for ``size``) is refused."""
    if target not in header:
        raise InputError(f"--target {target}: there is no such column{_suggest(target, header)}")
    every = read_expression(text, None, constants=True)
    names = [s.name for s in every.variables]
    if target in names:
        raise InputError(
            f"the model uses the target {target} itself: a model predicts {target} from the other columns"
        )
    chosen = [n.strip() for n in params.split(",")] if params else [n for n in names if n not in header]
    for name in chosen:
        if name in header:
            raise InputError(
                f"--params names {name!r}, which is a column of the data: a parameter is learned"
            )
        if not params:
            close = difflib.get_close_matches(name, [h for h in header if h != target], n=1, cutoff=0.7)
            if close:
                raise InputError(
                    f"{name!r} is no column, so it would be a parameter: did you mean the column "
                    f"{close[0]!r}? "
                    f"(to learn a parameter named {name}, say --params {','.join(chosen)})"
                )
    unknown = [n for n in names if n not in chosen and n not in header]
    if unknown:
        raise InputError(
            f"{unknown[0]!r} is neither a column of the data nor named by --params"
            + _suggest(unknown[0], header)
        )
    if not chosen:
        raise InputError("the model has no parameters to learn: every name in it is a column of the data")
    expression = read_expression(text, ",".join(chosen), constants=True)
    features = tuple(s for s in expression.constants if s.name in header)
    return Model(text, expression.expr, expression.variables, features, target)


def _suggest(name: str, header: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(header), n=1, cutoff=0.7)
    return f": did you mean {close[0]!r}?" if close else f" (the columns: {', '.join(header)})"
