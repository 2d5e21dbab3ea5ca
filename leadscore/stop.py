"""Stopping a run on request (SIGTERM) without leaving half a file behind.

The command line turns SIGTERM into :class:`Terminated`, raised wherever Python happens to be.
Python code that catches exceptions broadly, or runs while an import or a compiled library has
control, can lose that exception, so the request is also kept in :data:`stop_requested`: an
atomic write checks it before it puts a new file in place.
"""

from __future__ import annotations

import signal
import sys
import threading

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
