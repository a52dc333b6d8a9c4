"""The update rule of a run as a chain of gradient transformations, in the style of optax.

A transformation is ``init(params) -> state`` and ``update(grads, state) -> (updates, state)``;
``chain`` feeds each one's updates to the next, so clipping, gradient ascent and the learning-rate
schedule wrap the optimizer without the loop knowing about any of them.

>>> from symgrad.descent.optimizers import make_optimizer
>>> rule = chain(clip_by_norm(1.0), flip_sign(), scale_by_optimizer(make_optimizer("sgd"), 0.1))
>>> updates, state = rule.update((30.0, -40.0), rule.init((0.0, 0.0)))
>>> updates  # clipped to (0.6, -0.8), negated to climb, times −lr
(0.06, -0.08000000000000002)

Unlike optax, the learning rate is not a last ``scale`` transformation: torch's Adam folds lr into its
bias correction, −lr/(1−β₁ᵗ), so the optimizer takes the rate for each step from the transformation
around it, which keeps the floats those of ``torch.optim``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any, NamedTuple

from symgrad.descent.optimizers import Optimizer
from symgrad.descent.schedules import Schedule

Vector = tuple[float, ...]
# advance(point, grads, t) -> the next point, for the update at step index t
Advance = Callable[[Vector, Vector, int], Vector]


class GradientTransformation(NamedTuple):
    """A pair of pure functions, and two optional shortcuts that a loop may take instead of them.

    ``pure(grads) -> updates`` is given by a transformation without state: its update alone.
    ``fuse(n)`` is given by a transformation whose only state is its step count t: for points of n
    coordinates, ``advance(point, grads, t)`` computes the update and adds it in one call, with the
    same floats as ``update`` followed by ``point + updates``.
    """

    init: Callable[[Vector], Any]
    update: Callable[[Vector, Any], tuple[Vector, Any]]
    pure: Callable[[Vector], Vector] | None = None
    fuse: Callable[[int], Advance] | None = None


def stateless(function: Callable[[Vector], Vector]) -> GradientTransformation:
    """The transformation whose update is ``function(grads)``, keeping no state."""

    def init(params):
        return ()

    def update(grads, state):
        return function(grads), state

    return GradientTransformation(init, update, pure=function)


def clip_by_norm(max_norm: float) -> GradientTransformation:
    """g ← g·(c/‖g‖) when ‖g‖ > c: the step keeps its direction and at most the length c."""

    def clip(grads):
        norm = math.hypot(*grads)
        if norm > max_norm:
            scale = max_norm / norm
            return tuple([scale * g for g in grads])
        return grads

    return stateless(clip)


def add_noise(sigma: float, seed: int) -> GradientTransformation:
    """g ← g + ε with ε ~ N(0, σ²) per coordinate: a stochastic gradient, reproducible from ``seed``.

    The state is the generator, made anew by ``init``, so the same seed gives the same noise.
    """

    def init(params):
        return random.Random(seed)

    def update(grads, state):
        return tuple([g + state.gauss(0.0, sigma) for g in grads]), state

    return GradientTransformation(init, update)


def flip_sign() -> GradientTransformation:
    """g ← −g: the optimizer descends on −f, which climbs f (torch's ``maximize=True``)."""

    def flip(grads):
        return tuple([-g for g in grads])

    return stateless(flip)


def scale_by_optimizer(
    optimizer: Optimizer, learning_rate: float, schedule: Schedule | None = None
) -> GradientTransformation:
    """The optimizer's update at the rate lr·schedule(t) for the update at step index t."""
    factor = None if schedule is None or schedule.is_constant else schedule.factor
    fuse = None
    if optimizer.fuse is not None:

        def fuse(n: int) -> Advance:
            return optimizer.fuse(n, learning_rate, factor)

    if factor is None:

        def update(grads, state):
            return optimizer.update(grads, state, learning_rate)

        return GradientTransformation(optimizer.init, update, fuse=fuse)

    def init(params):
        return 0, optimizer.init(params)

    def scheduled_update(grads, state):
        t, inner = state
        updates, inner = optimizer.update(grads, inner, learning_rate * factor(t))
        return updates, (t + 1, inner)

    return GradientTransformation(init, scheduled_update, fuse=fuse)


def chain(*transforms: GradientTransformation) -> GradientTransformation:
    """Apply ``transforms`` in order, each to the updates of the one before; the state is their states."""
    if len(transforms) == 1:
        return transforms[0]

    def init(params):
        return tuple(transform.init(params) for transform in transforms)

    def update(grads, state):
        states = []
        for transform, inner in zip(transforms, state):
            grads, inner = transform.update(grads, inner)
            states.append(inner)
        return grads, tuple(states)

    *first, last = transforms
    pures = [transform.pure for transform in first]
    fuse = None
    if last.fuse is not None and None not in pures:

        def fuse(n: int) -> Advance:
            advance = last.fuse(n)

            def fused(point, grads, t):
                for pure in pures:
                    grads = pure(grads)
                return advance(point, grads, t)

            return fused

    return GradientTransformation(init, update, fuse=fuse)


def update_rule(
    optimizer: Optimizer,
    learning_rate: float,
    *,
    schedule: Schedule | None = None,
    clip: float | None = None,
    maximize: bool = False,
    noise: tuple[float, int] | None = None,
) -> GradientTransformation:
    """What a run applies to ∇f: noise, clipping and the sign flip (``gradient_transforms``), then the
    optimizer at the scheduled lr."""
    transforms = gradient_transforms(clip=clip, maximize=maximize, noise=noise)
    transforms.append(scale_by_optimizer(optimizer, learning_rate, schedule))
    return chain(*transforms)


def gradient_transforms(
    *, clip: float | None = None, maximize: bool = False, noise: tuple[float, int] | None = None
) -> list[GradientTransformation]:
    """What turns ∇f into what the optimizer is given: noise (σ, seed) as a stochastic gradient would
    carry, then clipping, which so sees the gradient the step would use (as torch's clip_grad_norm_
    runs before step()), then the sign flip to climb."""
    transforms = []
    if noise is not None:
        transforms.append(add_noise(*noise))
    if clip is not None:
        transforms.append(clip_by_norm(clip))
    if maximize:
        transforms.append(flip_sign())
    return transforms
