"""Stopping a run on request (SIGTERM) without leaving half a file behind.

The command line turns SIGTERM into :class:`Terminated`, raised wherever Python happens to be.
Python code that catches exceptions broadly, or runs while an import or a compiled library has
control, can lose that exception, so the request is also kept in :data:`stop_requested`: an
atomic write checks it before it puts a new file in place.
"""

from __future__ import annotations

import threading

stop_requested = threading.Event()


class Terminated(BaseException):
    """The process was asked to stop. A BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way swallows it."""


def request_stop(signum: int = 0, frame: object = None) -> None:
    """Signal handler: remember the request and stop what is running now."""
    stop_requested.set()
    raise Terminated()
