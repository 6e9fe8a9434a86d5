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
    """Hold Ctrl-C and termination for the duration: they take effect after it. Threads
    started meanwhile keep them blocked, so that only the main thread ever receives them."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


_PR_SET_PDEATHSIG = 1


def worker_start() -> None:
    """Set up a worker process: Ctrl-C is the build's to handle, and the worker ends when the
    process that started it does, however that ends (even by SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked with them held (`interrupts_held`)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    if sys.platform.startswith("linux"):
        # No portable call asks for this; Linux's prctl does. Elsewhere only the pool's
        # shutdown ends the workers.
        with suppress(AttributeError, OSError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
