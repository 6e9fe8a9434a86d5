"""Ctrl-C at any moment: the steps that must not be cut in two hold it until they are done.

Python runs a signal's handler between two bytecodes of the main thread, so a KeyboardInterrupt
can land inside the standard library's own bookkeeping: while a process pool starts its
workers (leaving one orphaned, waiting forever on its queue) or registers their finalizers
(an "Exception ignored" traceback), or between two renames of the output set.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and termination for the duration: they take effect after it.

    Two holds, as a signal may reach any thread: the main thread blocks them (threads started
    meanwhile inherit that, so only the main thread ever receives them), and their handlers
    only note them until the end, for a signal another thread took first.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    handlers = {number: signal.signal(number, lambda got, _: noted.append(got)) for number in _HELD}
    masked = hasattr(signal, "pthread_sigmask")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD) if masked else set()
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)  # one held in the kernel: noted
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for got in dict.fromkeys(noted):
            signal.raise_signal(got)  # now, as if it came now, to the handler restored


_PR_SET_PDEATHSIG = 1


def worker_start() -> None:
    """Set up a worker process: Ctrl-C is the build's to handle, and the worker ends when the
    process that started it does, however that ends (even by SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked with it noted only (interrupts_held)
    if hasattr(signal, "pthread_sigmask"):  # and blocked
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    if sys.platform.startswith("linux"):
        # No portable call asks for this; Linux's prctl does. Elsewhere only the pool's
        # shutdown ends the workers.
        with suppress(AttributeError, OSError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
