"""Stopping a run on request (SIGTERM) without leaving half a file behind, and when the reader of
standard output has gone (:func:`stop_writing`).

The command line turns SIGTERM into :class:`Terminated`, raised wherever Python happens to be.
Python code that catches exceptions broadly, or runs while an import or a compiled library has
control, can lose that exception, so the request is also kept in :data:`stop_requested`: an
atomic write checks it before it puts a new file in place.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import NoReturn

stop_requested = threading.Event()


class Terminated(BaseException):
    """The process was asked to stop. A BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way swallows it."""


def request_stop(signum: int = 0, frame: object = None) -> None:
    """Signal handler: remember the request and stop what is running now."""
    stop_requested.set()
    raise Terminated()


def stop_on_sigterm() -> None:
    """Make SIGTERM stop the process through :func:`request_stop`.

    When the signal comes while Python runs code that cannot pass an exception on (a ``__del__``,
    a callback from a compiled library), Python prints the lost :class:`Terminated` with a
    traceback and goes on; the request is kept in :data:`stop_requested`, so that print is left
    out, and anything else lost that way is printed as before.
    """
    signal.signal(signal.SIGTERM, request_stop)
    sys.unraisablehook = _unless_a_lost_stop


def _unless_a_lost_stop(unraisable: sys.UnraisableHookArgs) -> None:
    if isinstance(unraisable.exc_value, Terminated) and stop_requested.is_set():
        return
    sys.__unraisablehook__(unraisable)


EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE (13), spelt out: Windows has no signal.SIGPIPE


def stop_writing() -> NoReturn:
    """Stop quietly, because the program reading standard output closed it (``... | head``),
    as command-line tools do: exit 141, the code of a process SIGPIPE stopped.

    Standard output is pointed at /dev/null first, so that Python's own flush at exit does not
    fail on the closed pipe too.
    """
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(EXIT_PIPE_CLOSED)
