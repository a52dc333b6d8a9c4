"""A wall-clock limit on a computation, so that one request cannot run away.

SymPy is pure Python and cannot be asked to stop, so the limit is an exception raised inside the
running code between two bytecodes. Two mechanisms do that, and each thread gets the one it can use:

- in the main thread where ``signal.setitimer`` exists (Linux, macOS): an interval timer whose
  SIGALRM handler raises; it also cuts short a blocking system call such as ``time.sleep``;
- elsewhere (Windows, any worker thread of a notebook or of the Python API): a watchdog thread that
  raises the exception in the computing thread with ``PyThreadState_SetAsyncExc``.

Both were measured on a runaway ``expand((x+y+z+w+1)**60)``: they stop it within about 15 ms of the
limit (a single long C call, such as one huge integer product, finishes first under either).
A cooperative check would need every loop of SymPy to take part, and a worker process would pay the
0.5 s import of SymPy on every run and could not hand SymPy objects back cheaply, so neither was chosen.

The exceptions raised inside the block derive from BaseException, so that code catching ``Exception``
(SymPy does in places) cannot swallow them; the limit turns its own into ``TimeLimitError`` as it ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
import time

from symgrad.errors import TimeLimitError

DEFAULT_TIMEOUT = 10.0

# .at: time.monotonic() when this thread's innermost time_limit ends; .step: when its innermost within ends
_ends = threading.local()


class _LimitReached(BaseException):
    """Raised inside a ``time_limit`` block when its time is up."""


class _StepCut(BaseException):
    """Raised inside a ``within`` block when its time is up."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimitError inside the block once ``seconds`` of wall time have passed.

    No limit when ``seconds`` is None or 0. The clock starts after SymPy is imported, so start-up is
    never counted against the computation.
    """
    if not seconds or seconds <= 0:
        yield
        return
    import sympy  # noqa: F401  # lazy: so its 0.5 s import is paid before the clock starts, not after

    previous_end = getattr(_ends, "at", None)
    _ends.at = time.monotonic() + seconds
    try:
        with _raising(_LimitReached, seconds):
            yield
    except _LimitReached:
        raise TimeLimitError(
            f"gave up after {seconds:g} s: the computation took too long; "
            "try a simpler expression or a longer --timeout"
        ) from None
    finally:
        _ends.at = previous_end


@contextlib.contextmanager
def within(seconds: float):
    """Run an optional step for at most ``seconds`` (and half of what an outer limit has left).

    Unlike ``time_limit`` it nests: when the step runs out the block is silently cut short and the
    outer limit goes on with the time it has left. The caller checks whether its result was set.
    It yields False only where nothing could stop the step (an interpreter other than CPython, off
    the main thread): skip it then.

    >>> with within(1.0) as allowed:
    ...     answer = 42 if allowed else None
    """
    now = time.monotonic()
    outer_end = getattr(_ends, "at", None)
    budget = seconds
    if outer_end is not None:
        budget = min(seconds, (outer_end - now) / 2)
    # A step inside a step ends with it at the latest: its own timer replaces the enclosing one's
    # until it ends, so a longer budget would outlast the enclosing step's (with no --timeout).
    step_end = getattr(_ends, "step", None)
    if step_end is not None:
        budget = min(budget, step_end - now)
    budget = max(budget, 1e-3)
    _ends.step = now + budget
    try:
        with contextlib.suppress(_StepCut), _raising(_StepCut, budget) as armed:
            yield armed
    finally:
        _ends.step = step_end


def _alarm_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _raising(kind: type[BaseException], seconds: float):
    """A context that raises ``kind`` in this thread after ``seconds``; it yields whether it is armed."""
    if _alarm_usable():
        return _alarm(kind, seconds)
    return _watchdog(kind, seconds)


@contextlib.contextmanager
def _alarm(kind: type[BaseException], seconds: float):
    """SIGALRM after ``seconds``; an outer alarm is put back afterwards with the time it has left."""
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()

    def expire(signum, frame):
        raise kind

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))


_set_async_exc = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)


@contextlib.contextmanager
def _watchdog(kind: type[BaseException], seconds: float):
    """A timer thread that raises ``kind`` in this thread after ``seconds``."""
    if _set_async_exc is None:  # not CPython: nothing can interrupt the computing thread
        yield False
        return
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire():
        with lock:
            if not state["done"]:
                _set_async_exc(target, ctypes.py_object(kind))
                state["fired"] = True

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    caught = False
    try:
        yield True
    except kind:
        caught = True
        raise
    finally:
        try:
            timer.cancel()
            with lock:
                state["done"] = True
                if state["fired"] and not caught:  # fired as the block ended: take it back
                    _set_async_exc(target, None)
        except kind:  # delivered just now, while the lock was taken: the block is over anyway
            pass
