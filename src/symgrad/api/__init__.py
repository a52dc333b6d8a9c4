"""symgrad from Python: the commands as functions, returning the results the command line renders.

>>> import symgrad
>>> symgrad.diff("3*x**3-5*x**2+2", at={"x": 2}).value
16
>>> symgrad.grad("x**2+4*y**2", at=(1, 2)).value
(2, 16)

Each function reads its arguments as the command reads its options (an expression is parsed by the same
safe parser, a SymPy expression is printed and parsed again), calls the same core under the same time
limit, and raises the same errors (``symgrad.InputError`` for what the command exits 2 with, and so on).

A new command joins the API in three steps: a function here that calls its core under ``time_limit``;
a ``Result`` subclass in ``results`` naming its JSON, LaTeX and text views; and its name in
``symgrad.__init__``'s list of lazy names. ``fit`` and ``taylor`` are to be added that way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from symgrad.analysis.check import check_gradient
from symgrad.analysis.critical.points import critical_points
from symgrad.analysis.derivatives import differentiate, gradient
from symgrad.analysis.hessian import hessian as hessian_of
from symgrad.api.inputs import (
    Point,
    Points,
    definitions,
    expression_text,
    listed,
    names,
    point_text,
    points,
    words,
)
from symgrad.api.results import Check, Critical, Descent, Diff, Grad, Hessian, Request, Result
from symgrad.deadline import DEFAULT_TIMEOUT, time_limit
from symgrad.descent.plan import plan_descent
from symgrad.descent.settings import DescentSettings, learning_rates

__all__ = [
    "Check",
    "Critical",
    "Descent",
    "Diff",
    "Grad",
    "Hessian",
    "Result",
    "check",
    "critical",
    "descend",
    "diff",
    "grad",
    "hessian",
]

Expr = Any  # a string, or a SymPy expression
Definitions = Mapping[str, Any] | Sequence[str] | str | None
Names = str | Sequence[str] | None


def _request(expr: Expr, vars: Names, let: Definitions) -> Request:
    return Request(expression_text(expr), names(vars), tuple(definitions(let)))


def diff(
    expr: Expr,
    wrt: Names = None,
    order: int = 1,
    at: Points | None = None,
    let: Definitions = None,
    *,
    vars: Names = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diff:
    """The derivative of ``expr`` (by ``wrt``, ``order`` times), exact and at the points ``at``.

    >>> diff("sin(x)**2", at=0).derivative
    2*sin(x)*cos(x)
    """
    asked = _request(expr, vars, let)
    with time_limit(timeout):
        core = differentiate(
            asked.text, wrt=words(wrt), order=order, at=points(at), variables=asked.variables, let=asked.let
        )
    return Diff(core, asked)


def grad(
    expr: Expr,
    at: Points | None = None,
    vars: Names = None,
    let: Definitions = None,
    *,
    direction: Point | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Grad:
    """The gradient of ``expr`` in variable order, and at the points ``at`` its value and norm.

    >>> grad("x*y", at={"x": 1, "y": 3}).numeric
    (3.0, 1.0)
    """
    asked = _request(expr, vars, let)
    towards = point_text(direction) if direction is not None else None
    with time_limit(timeout):
        core = gradient(
            asked.text, at=points(at), variables=asked.variables, direction=towards, let=asked.let
        )
    return Grad(core, asked)


def hessian(
    expr: Expr,
    at: Points | None = None,
    vars: Names = None,
    let: Definitions = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> Hessian:
    """The Hessian of ``expr``; at a point its eigenvalues, definiteness and the stable learning rates.

    >>> hessian("x**2+4*y**2", at=(1, 2)).eigenvalues
    (2.0, 8.0)
    """
    asked = _request(expr, vars, let)
    with time_limit(timeout):
        core = hessian_of(asked.text, at=points(at), variables=asked.variables, let=asked.let)
    return Hessian(core, asked)


def critical(
    expr: Expr, vars: Names = None, let: Definitions = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Critical:
    """Where the gradient of ``expr`` is zero, each point classified (minimum, maximum, saddle...).

    >>> [p.classification.kind for p in critical("x**3 - 3*x").points]
    ['maximum', 'minimum']
    """
    asked = _request(expr, vars, let)
    with time_limit(timeout):
        core = critical_points(asked.text, variables=asked.variables, let=asked.let)
    return Critical(core, asked)


def check(
    expr: Expr,
    at: Point,
    grad: str | Sequence[Any] | None = None,
    vars: Names = None,
    let: Definitions = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> Check:
    """The gradient of ``expr`` at ``at`` against finite differences and, given ``grad``, against yours.

    A wrong ``grad`` is a result, not an error: ``ok`` is False and ``error`` is what the command
    would exit 1 with.

    >>> check("x**2*y", at=(1, 2), grad=["2*x*y", "x**2"]).ok
    True
    """
    asked = _request(expr, vars, let)
    yours = grad if grad is None or isinstance(grad, str) else ", ".join(map(expression_text, grad))
    with time_limit(timeout):
        core = check_gradient(
            asked.text, at=point_text(at), grad=yours, variables=asked.variables, let=asked.let
        )
    return Check(core, asked)


def descend(
    expr: Expr,
    start: Points | None = None,
    lr: float | str | Sequence[float] = 0.1,
    steps: int = 100,
    optimizer: str | Sequence[str] = "sgd",
    *,
    tol: float = 1e-6,
    vars: Names = None,
    let: Definitions = None,
    schedule: str | None = None,
    clip: float | None = None,
    maximize: bool = False,
    noise: float | None = None,
    seed: int = 0,
    every: int | None = None,
    show_work: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    **hyperparameters: float | None,
) -> Descent:
    """Gradient descent on ``expr`` from ``start`` (default all 0): every start × ``lr`` × ``optimizer``.

    ``hyperparameters`` are the optimizers' (momentum, alpha, beta1, beta2, eps). A diverged run is a
    result, not an error: ``diverged`` is True and ``error`` is what the command would exit 1 with.
    ``every`` thins ``to_dict()`` as ``--every`` thins the JSON.

    >>> descend("x**2-4*x+5", start=0, lr=0.1, steps=3, tol=0).final.point
    (0.976,)
    """
    asked = _request(expr, vars, let)
    settings = DescentSettings.read(
        optimizers=listed(optimizer),
        hyperparameters=hyperparameters,
        steps=steps,
        tol=tol,
        clip=clip,
        schedule=schedule,
        maximize=maximize,
        noise=noise,
        seed=seed,
    )
    with time_limit(timeout):  # the symbolic set-up, as in the command; the loops are bounded by steps
        plan = plan_descent(
            asked.text,
            settings,
            starts=points(start),
            learning_rates=learning_rates(listed(lr)),
            variables=asked.variables,
            let=asked.let,
        )
        formulas = plan.formulas() if show_work else None
    report = plan.judge(plan.run())
    return Descent(report, asked, every=every, formulas=formulas)
