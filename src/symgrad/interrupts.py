"""The signals that end a run (Ctrl-C, SIGTERM, SIGHUP) as one exception, and a clean stop for long loops.

A run ends with exit code 128 + the signal's number: 130 for Ctrl-C (SIGINT), 143 for SIGTERM and
129 for SIGHUP. ``install`` is the first thing the ``symgrad`` command does, before anything heavy is
imported, so a signal at any moment ends the run this way and never with a traceback.

A loop that can show what it has done so far asks for a stop request instead of the exception:

>>> with stop_requests() as request:        # doctest: +SKIP
...     while not request.made and ...:    # the first signal only sets request.signum
...         step()                         # a second one raises Interrupted at once
>>> if request.made:                       # doctest: +SKIP
...     raise Interrupted(request.signum)  # after writing the steps so far
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from dataclasses import dataclass

_NAMES = ("SIGINT", "SIGTERM", "SIGHUP")  # SIGHUP does not exist on Windows
ENDING_SIGNALS = tuple(getattr(signal, name) for name in _NAMES if hasattr(signal, name))


class Interrupted(BaseException):
    """A signal asked the run to end; ``exit_code`` is 128 + its number.

    A BaseException, as KeyboardInterrupt is, so that no ``except Exception`` on the way swallows it.
    """

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    def __str__(self) -> str:
        if self.signum == signal.SIGINT:
            return "interrupted"
        return f"stopped by {signal.Signals(self.signum).name}"


_installed = False  # install() ran: the handlers are this process's own, not a host program's


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


def install() -> None:
    """Make Ctrl-C, SIGTERM and SIGHUP raise Interrupted (signals can be set in the main thread only).

    A signal the parent process told us to ignore stays ignored: ``nohup`` ignores SIGHUP, and a shell
    ignores Ctrl-C for the jobs it starts in the background.
    """
    global _installed
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in ENDING_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise_interrupted)
    _installed = True


def exit_at_once() -> None:
    """From now on an ending signal ends the process on the spot: a run already on its way out
    must not be stopped half-way through saying so (a second Ctrl-C, 50 ms after the first).

    Only after ``install``: a program that calls symgrad in its own process keeps its handlers."""
    if not _installed or threading.current_thread() is not threading.main_thread():
        return
    for signum in ENDING_SIGNALS:
        signal.signal(signum, lambda number, frame: os._exit(128 + number))


@dataclass
class StopRequest:
    """Set by the first ending signal inside ``stop_requests``: ``signum`` is which one, or None."""

    signum: int | None = None

    @property
    def made(self) -> bool:
        return self.signum is not None


@contextlib.contextmanager
def stop_requests():
    """Inside the block the first ending signal only sets the yielded ``StopRequest``; a second one
    raises Interrupted at once. The previous handlers come back afterwards.

    Off the main thread (where handlers cannot be set) the request is never made.
    """
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return

    def note(signum, frame):
        if request.made:
            raise Interrupted(signum)
        request.signum = signum

    ending = [signum for signum in ENDING_SIGNALS if signal.getsignal(signum) is not signal.SIG_IGN]
    previous = {signum: signal.signal(signum, note) for signum in ending}
    try:
        yield request
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
