"""A wall-clock limit on a computation, so that one request cannot run away."""

from __future__ import annotations

import contextlib
import signal
import threading

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
