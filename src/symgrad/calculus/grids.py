"""Functions sampled on numpy grids for plots: NaN wherever a value is not a finite real number.

>>> import numpy
>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> [float(v) for v in sample([sympy.log(x)], [x], [numpy.array([-1.0, 1.0])])[0]]
[nan, 0.0]
"""

from __future__ import annotations

import importlib

import numpy as np
import sympy

from symgrad import calculus
from symgrad.errors import InputError, MathError

INSTALL_HINT = "pip install 'symgrad[plot]'"


def require(module: str):
    """Import a plotting dependency, or say how to install it (exit 2)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"plotting needs {module.partition('.')[0]}: {INSTALL_HINT}") from None


def sample(exprs, variables, grids):
    """Evaluate ``exprs`` on numpy ``grids`` in one compiled call; NaN where not real or finite."""
    shape = np.broadcast(*grids).shape
    # DiracDelta (from differentiating abs or sign) is zero wherever a float can land.
    exprs = tuple(
        e.replace(lambda n: isinstance(n, sympy.DiracDelta), lambda n: sympy.Integer(0)) for e in exprs
    )
    try:
        function = calculus.compile_function(exprs, variables, backend="numpy")
        with np.errstate(all="ignore"):
            results = function(tuple(grids))
    except _COMPILED_FAILURES:
        results = [_sample_one(e, variables, grids, shape) for e in exprs]
    return tuple(_real_or_nan(value, shape) for value in results)


_COMPILED_FAILURES = (NameError, TypeError, AttributeError, ValueError, ZeroDivisionError)


def _sample_one(expr, variables, grids, shape):
    try:
        function = calculus.compile_function(expr, variables, backend="numpy")
        with np.errstate(all="ignore"):
            return function(tuple(grids))
    except _COMPILED_FAILURES:
        # NumPy lacks a few functions (erf, gamma): fall back to one float call per point.
        return _sample_pointwise(expr, variables, grids, shape)


def _sample_pointwise(expr, variables, grids, shape):
    function = calculus.compile_function(expr, variables)
    flat = [np.broadcast_to(g, shape).ravel() for g in grids]
    out = np.full(flat[0].size if flat else 1, np.nan)
    for i, point in enumerate(zip(*flat)):
        try:
            out[i] = float(function(tuple(float(p) for p in point)))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
            pass
    return out.reshape(shape)


def _real_or_nan(value, shape):
    # lambdify gives a plain number for a constant expression: spread it over the grid.
    array = np.array(np.broadcast_to(np.asarray(value), shape))
    if np.iscomplexobj(array):
        real = array.real.copy()
        real[np.abs(array.imag) > 1e-12 * np.maximum(1.0, np.abs(array.real))] = np.nan
        array = real
    try:
        array = array.astype(float)
    except (TypeError, ValueError):
        return np.full(shape, np.nan)
    array[~np.isfinite(array)] = np.nan
    return array


def view_range(*arrays) -> tuple[float, float] | None:
    """A range that shows the data but not the spikes near a pole; None when nothing is finite."""
    values = np.concatenate([np.ravel(a) for a in arrays if a is not None])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    lo, hi = float(values.min()), float(values.max())
    p_lo, p_hi = (float(v) for v in np.percentile(values, [5, 95]))
    if hi - lo > 4 * max(p_hi - p_lo, 1e-12):
        lo, hi = p_lo - 0.5 * (p_hi - p_lo), p_hi + 0.5 * (p_hi - p_lo)
    if hi - lo < 1e-12:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def break_at_poles(view, x, *curves):
    """A NaN between two samples where a curve leaps from above the view to below it (or back), as
    tan does at its poles: otherwise the line joining them is drawn as a false vertical stroke."""
    if view is None:
        return (x, *curves)
    lo, hi = view
    leaps = np.zeros(len(x) - 1, dtype=bool)
    for y in curves:
        if y is None:
            continue
        step = np.diff(y)
        before, after = np.r_[0.0, step[:-1]], np.r_[step[1:], 0.0]
        with np.errstate(all="ignore"):
            # A leap across more than the whole view, against the direction on both sides of it
            # (signs multiplied, not the steps, which can overflow).
            outside = (y[:-1] > hi) | (y[:-1] < lo) | (y[1:] > hi) | (y[1:] < lo)
            turns = (np.sign(step) * np.sign(before) < 0) & (np.sign(step) * np.sign(after) < 0)
            leaps |= outside & (np.abs(step) > hi - lo) & turns
    where = np.flatnonzero(leaps) + 1
    if where.size == 0:
        return (x, *curves)
    return tuple(
        None if array is None else np.insert(array.astype(float), where, np.nan) for array in (x, *curves)
    )


def only_where_defined(values, derived, where: str) -> None:
    """Blank the derivatives where f itself has no real value (1/x beside log(x) at x < 0)."""
    undefined = np.isnan(values)
    if undefined.all():
        raise MathError(f"f has no real value anywhere in {where}: choose another --range")
    for array in derived:
        array[undefined] = np.nan
