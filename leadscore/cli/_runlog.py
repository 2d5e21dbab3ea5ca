"""``--log-file``: a run's story appended to a file, one timestamped line per event.

The library never configures logging; the command line sets up the ``leadscore.run`` logger
for one command and takes its handler down again, so several runs in one process (tests, a
notebook calling the CLI) do not pile up handlers.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from leadscore.errors import UsageError, one_line

LOGGER_NAME = "leadscore.run"
LINE_FORMAT = "%(asctime)s leadscore[%(process)d] %(levelname)s %(message)s"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


class _OneLine(logging.Formatter):
    """Each event on its one line, whatever line breaks a column name or a cell brings into it."""

    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


@contextlib.contextmanager
def run_log(path: Path | None) -> Iterator[logging.Logger]:
    """A logger that appends to ``path`` while the block runs; with no path, one that drops everything."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the run's lines go to the file only, never to a root handler
    handler: logging.Handler
    if path is None:
        handler = logging.NullHandler()
    else:
        if path.is_dir():
            raise UsageError(f"--log-file {path} is a folder; give a file name")
        try:
            handler = logging.FileHandler(path, mode="a", encoding="utf-8")
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise UsageError(f"cannot open the log file {path}: {reason}") from None
        handler.setFormatter(_OneLine(LINE_FORMAT, TIME_FORMAT))
    logger.addHandler(handler)
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        handler.close()
