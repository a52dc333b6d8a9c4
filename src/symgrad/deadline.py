"""A wall-clock limit on a computation, so that one request cannot run away."""

from __future__ import annotations

import contextlib
import signal
import threading
import time

from symgrad.errors import TimeLimitError

DEFAULT_TIMEOUT = 10.0


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimitError inside the block once ``seconds`` of wall time have passed.

    SymPy is pure Python, so an interval timer's signal interrupts it between bytecodes. Outside
    the main thread (where signals cannot be used) the block runs without a limit.
    """
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise TimeLimitError(
            f"gave up after {seconds:g} s: the computation took too long; "
            "try a simpler expression or a longer --timeout"
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Expired(Exception):
    pass


@contextlib.contextmanager
def within(seconds: float):
    """Run an optional step for at most ``seconds`` (and half of what an outer limit has left).

    Unlike ``time_limit`` it nests: when the step runs out the block is silently cut short and the
    outer limit goes on with the time it has left. The caller checks whether its result was set.
    It yields False outside the main thread, where nothing could stop the step: skip it then.

    >>> with within(1.0) as allowed:
    ...     answer = 42 if allowed else None
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield False
        return
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    budget = min(seconds, outer / 2) if outer else seconds
    start = time.monotonic()

    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(budget, 1e-3))
    try:
        yield True
    except _Expired:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))
