"""The ``leadscore`` command line: a thin layer of options over the library.

Each public module in this package defines one command and registers it on ``app``; they are
all imported here, in name order (the help lists commands in the order they register).
"""

import importlib
import pkgutil

from leadscore.cli._app import app, main

COMMAND_MODULES = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")

__all__ = ["app", "main"]
