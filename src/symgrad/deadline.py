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

# When this thread's innermost time_limit (.at) and innermost within (.step) end, in time.monotonic().
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
    """Run an optional step for at most ``seconds``, no longer than an enclosing ``within`` has left,
    and at most half of what an outer ``time_limit`` has left.

    Unlike ``time_limit`` it nests: when the step runs out the block is silently cut short and the
    outer limit goes on with the time it has left. When an enclosing step runs out first, the cut
    goes through this block to that step's end. The caller checks whether its result was set.
    It yields False only where nothing could stop the step (an interpreter other than CPython, off
    the main thread): skip it then.

    >>> with within(1.0) as allowed:
    ...     answer = 42 if allowed else None
    """
    now = time.monotonic()
    budget = max(_allowance(seconds, now), 1e-3)
    # A class of its own, so that only this block stops at its cut: an enclosing step's cut, raised
    # in here by its watchdog, passes through to that step.
    cut = type("_StepCut", (_StepCut,), {})
    enclosing_end = getattr(_ends, "step", None)
    _ends.step = now + budget
    try:
        with contextlib.suppress(cut), _raising(cut, budget) as armed:
            yield armed
    finally:
        _ends.step = enclosing_end


def _allowance(seconds: float, now: float) -> float:
    """What a ``within(seconds)`` starting at ``now`` may have: the enclosing step's rest, and half of
    the time limit's rest, if less."""
    budget = seconds
    limit_end, step_end = getattr(_ends, "at", None), getattr(_ends, "step", None)
    if limit_end is not None:
        budget = min(budget, (limit_end - now) / 2)
    if step_end is not None:
        budget = min(budget, step_end - now)
    return budget


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


_watches = threading.local()  # .current: the _Watch armed for this thread, if any


class _Watch:
    """A timer thread that raises ``kind`` in one thread when ``seconds`` have passed. Only the
    innermost watch of a thread is armed, as with one alarm: two timers firing at once would leave
    one exception, the other lost (a pending asynchronous exception is replaced, not queued)."""

    def __init__(self, kind: type[BaseException], seconds: float):
        self.kind, self.end = kind, time.monotonic() + seconds
        self.target = ctypes.c_ulong(threading.get_ident())
        self.lock = threading.Lock()
        self.fired = self.done = False
        self.timer: threading.Timer | None = None

    def arm(self) -> None:
        """Start a timer for the time left (again, after a pause)."""
        with self.lock:
            self.timer = threading.Timer(max(self.end - time.monotonic(), 1e-3), self._fire)
            # The timer passes itself, so that one cancelled too late, waiting for the lock, can tell.
            self.timer.args = (self.timer,)
            self.timer.daemon = True
            self.timer.start()

    def _fire(self, timer: threading.Timer) -> None:
        with self.lock:
            if not self.done and timer is self.timer:
                _set_async_exc(self.target, ctypes.py_object(self.kind))
                self.fired = True

    def pause(self) -> bool:
        """Stop the timer while a nested watch runs; False when it has fired already."""
        with self.lock:
            if self.fired:
                return False
            self.timer.cancel()
            self.timer = None
            return True

    def stop(self, caught: bool) -> None:
        with self.lock:
            self.done = True
            if self.timer is not None:
                self.timer.cancel()
            if self.fired and not caught:  # fired as the block ended: take it back
                _set_async_exc(self.target, None)


@contextlib.contextmanager
def _watchdog(kind: type[BaseException], seconds: float):
    """A timer thread that raises ``kind`` in this thread after ``seconds``; an enclosing one is paused
    meanwhile and put back afterwards with the time it has left."""
    if _set_async_exc is None:  # not CPython: nothing can interrupt the computing thread
        yield False
        return
    outer = getattr(_watches, "current", None)
    resume = outer is not None and outer.pause()
    watch = _Watch(kind, seconds)
    _watches.current = watch
    watch.arm()
    caught = False
    try:
        yield True
    except kind:
        caught = True
        raise
    finally:
        try:
            watch.stop(caught)
        except kind:  # delivered just now, while the lock was taken: the block is over anyway
            pass
        _watches.current = outer
        if resume:
            outer.arm()
