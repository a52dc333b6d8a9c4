"""The results the Python API returns: the command's own result, with plain attributes and its views.

Each wraps the core's result (``result.core``) and hands on any attribute it does not define itself
(``result.evaluations``, ``result.function``), so the API never holds a second copy of the maths.
``to_dict()`` is the command's ``--format json``, built by the same function; ``_repr_latex_`` and
``_repr_html_`` are what a notebook shows; ``plot()`` draws what ``symgrad plot`` (or ``descend --plot``)
would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sympy

from symgrad.analysis.check import mismatch_error
from symgrad.api.notebook import descent_html, latex_block, latex_text, view_html
from symgrad.descent.plan import DescentReport
from symgrad.errors import DivergedError, MathError
from symgrad.expression.printing import to_latex
from symgrad.render import check as check_views
from symgrad.render import derivatives as derivative_views
from symgrad.render import hessian as hessian_views
from symgrad.render.descent_data import report_json


@dataclass(frozen=True)
class Request:
    """What was asked, as the command line would have read it: for ``plot()``, which reads f again."""

    text: str
    variables: str | None = None
    let: tuple[str, ...] = ()


def _one(items: tuple) -> Any:
    """None for no item, the item for one, all of them for several (as the JSON puts them)."""
    if not items:
        return None
    return items[0] if len(items) == 1 else tuple(items)


class Result:
    """What every API result has: the core result's attributes, ``to_dict()``, LaTeX, HTML and a plot."""

    def __init__(self, core: Any, request: Request):
        self.core = core
        self.request = request

    def __getattr__(self, name: str) -> Any:
        if name in ("core", "request"):  # not yet set (while unpickling): no core to ask
            raise AttributeError(name)
        return getattr(self.core, name)

    def __repr__(self) -> str:
        return f"<symgrad {type(self).__name__} of {self.request.text!r}>"

    @property
    def expression(self) -> sympy.Expr:
        """f, as symgrad read it (definitions given with ``let`` put in)."""
        return self.core.function.expr

    def to_dict(self) -> dict:
        """The command's ``--format json`` output, as ``json.loads`` would give it back."""
        return json.loads(json.dumps(self._json(), allow_nan=False))

    def _repr_latex_(self) -> str:
        return latex_block(self._latex().splitlines())

    def _repr_html_(self) -> str:
        return view_html(self._view())

    def plot(self):
        """f as ``symgrad plot`` draws it: with f′ for one variable, contours and ∇f for two; a Figure."""
        # lazy: the pictures need matplotlib (the plot extra), which only plot() may load
        from symgrad.pictures.figures import plot_figure
        from symgrad.pictures.plot_data import prepare_plot

        asked = self.request
        return plot_figure(prepare_plot(asked.text, variables=asked.variables, let=asked.let))

    def _json(self) -> dict:
        raise NotImplementedError

    def _latex(self) -> str:
        raise NotImplementedError

    def _view(self) -> Any:
        raise NotImplementedError


class Diff(Result):
    """``symgrad.diff``: ``derivative``, and at points ``value`` (exact) and ``numeric`` (a float)."""

    @property
    def values(self) -> tuple:
        return tuple(e.value.exact for e in self.core.evaluations)

    @property
    def value(self) -> Any:
        """The exact value at the one point (a tuple for several points, None for none)."""
        return _one(self.values)

    @property
    def numeric(self) -> Any:
        return _one(tuple(e.value.numeric for e in self.core.evaluations))

    def _json(self) -> dict:
        return derivative_views.derivative_json(self.core)

    def _latex(self) -> str:
        return derivative_views.derivative_latex(self.core)

    def _view(self) -> Any:
        return derivative_views.derivative_view(self.core)


class Grad(Result):
    """``symgrad.grad``: ``gradient`` (a tuple of expressions); at points ``value``, ``numeric``, ``norm``."""

    @property
    def value(self) -> Any:
        return _one(tuple(tuple(v.exact for v in e.values) for e in self.core.evaluations))

    @property
    def numeric(self) -> Any:
        return _one(tuple(tuple(v.numeric for v in e.values) for e in self.core.evaluations))

    @property
    def norm(self) -> Any:
        return _one(tuple(e.norm for e in self.core.evaluations))

    def _json(self) -> dict:
        return derivative_views.gradient_json(self.core)

    def _latex(self) -> str:
        return derivative_views.gradient_latex(self.core)

    def _view(self) -> Any:
        return derivative_views.gradient_view(self.core)


class Hessian(Result):
    """``symgrad.hessian``: ``matrix`` (SymPy); at a point ``value``, ``eigenvalues``, ``definiteness``."""

    @property
    def matrix(self) -> sympy.Matrix:
        return sympy.Matrix(self.core.hessian)

    @property
    def value(self) -> Any:
        return _one(tuple(sympy.Matrix(e.exact) for e in self.core.evaluations))

    @property
    def eigenvalues(self) -> Any:
        return _one(tuple(e.curvature.eigenvalues for e in self.core.evaluations))

    @property
    def definiteness(self) -> Any:
        return _one(tuple(e.curvature.definiteness for e in self.core.evaluations))

    def _json(self) -> dict:
        return hessian_views.hessian_json(self.core)

    def _latex(self) -> str:
        return hessian_views.hessian_latex(self.core)

    def _view(self) -> Any:
        return hessian_views.hessian_view(self.core)


class Critical(Result):
    """``symgrad.critical``: ``points`` (each with ``point``, ``value``, ``classification``), ``families``."""

    def _json(self) -> dict:
        return hessian_views.critical_json(self.core)

    def _latex(self) -> str:
        lines = [f"f = {to_latex(self.expression)}"]
        for p in self.core.points:
            where = ", ".join(f"{to_latex(s)} = {to_latex(v)}" for s, v in p.point.items())
            kind = hessian_views.kind_label(p)
            lines.append(rf"\text{{{latex_text(kind)} at }} {where}: \quad f = {to_latex(p.value)}")
        if not self.core.points and not self.core.families:
            lines.append(r"\text{no critical points found}")
        return "\n".join(lines)

    def _view(self) -> Any:
        return hessian_views.critical_view(self.core)


class Check(Result):
    """``symgrad.check``: ``ok`` when finite differences (and your gradient, if given) agree; ``error``
    is what the command would fail with (exit 1) when yours is wrong, else None."""

    @property
    def ok(self) -> bool:
        return self.core.finite_differences_agree and not self.core.wrong

    @property
    def error(self) -> MathError | None:
        return mismatch_error(self.core)

    def _json(self) -> dict:
        return check_views.check_json(self.core)

    def _latex(self) -> str:
        where = ", ".join(f"{to_latex(s)} = {to_latex(v)}" for s, v in self.core.point.items())
        entries = r" \\ ".join(to_latex(c.symbolic) for c in self.core.components)
        lines = [rf"\nabla f = \begin{{pmatrix}} {entries} \end{{pmatrix}} \quad \text{{at }} {where}"]
        said = check_views.check_summary(self.core).splitlines()
        lines += [rf"\text{{{latex_text(line)}}}" for line in said]
        return "\n".join(lines)

    def _view(self) -> Any:
        return check_views.check_view(self.core)


class Descent(Result):
    """``symgrad.descend``: ``runs``; for one run ``steps`` (every row: step, point, value, gradient,
    gradient_norm) and ``final`` (the last row); for several, a tuple with one entry per run."""

    def __init__(self, core: DescentReport, request: Request, *, every: int | None = None, formulas=None):
        super().__init__(core, request)
        self.every = every
        self.formulas = formulas

    @property
    def steps(self) -> Any:
        return _one(tuple(tuple(run) for run in self.core.runs))

    @property
    def final(self) -> Any:
        return _one(tuple(run.final for run in self.core.runs))

    @property
    def diverged(self) -> bool:
        return any(run.diverged for run in self.core.runs)

    @property
    def error(self) -> DivergedError | None:
        """The error the command exits with (1) when a run diverged, else None."""
        for run in self.core.runs:
            if run.diverged:
                advice = f"; {run.advice}" if run.advice else ""
                return DivergedError(f"{run.optimizer} {run.reason}{advice}")
        return None

    def _json(self) -> dict:
        return report_json(self.core, self.every, self.formulas)

    def _latex(self) -> str:
        lines = [f"f = {to_latex(self.expression)}"]
        for index, run in enumerate(self.core.runs):
            point = ", ".join(f"{name} = {x:.6g}" for name, x in zip(run.names, run.final.point))
            label = latex_text(f"{self.core.label(index)}, {run.status}:")
            lines.append(rf"\text{{{label}}} \quad {point}, \quad f = {run.final.value:.6g}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return descent_html(self.core)

    def plot(self):
        """The path of each run over f and the loss curves, as ``descend --plot`` draws them; a Figure."""
        # lazy: matplotlib is optional (the plot extra), and only plot() needs it
        from symgrad.pictures.descent import descent_figure

        runs = [(self.core.label(index), run) for index, run in enumerate(self.core.runs)]
        return descent_figure(self.core.function, runs)
