"""The ``leadscore`` command line: a thin layer of options over the library."""

from leadscore.cli import check, explain, init, score  # noqa: F401  (each module registers its command)
from leadscore.cli._app import app, main

__all__ = ["app", "main"]
