"""What the last ``score`` run in a folder used, so ``explain`` needs no repeated options.

``score`` writes ``.leadscore-run.json`` in the working directory: the input files, the model,
the events and adjustments files, the as-of date, how the files were read and which row of a
repeated id was kept. ``explain`` reads it; its own options
override each value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_FILE = ".leadscore-run.json"


@dataclass(frozen=True)
class RunState:
    inputs: list[str]
    model: str | None  # None: the built-in default model
    as_of: str
    events: list[str] = field(default_factory=list)
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    dayfirst: bool = False
    adjustments: list[str] = field(default_factory=list)
    decimal_comma: bool | None = None
    dedupe: str | None = None  # first or last: the rows of a repeated id that score kept

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)


def _absolute(path: str | Path) -> str:
    return str(path) if str(path) == "-" else str(Path(path).resolve())


def save_state(state: RunState, folder: str | Path | None = None) -> None:
    """Record a run; a folder that cannot be written to is not an error (the run already worked)."""
    record = asdict(state)
    record["inputs"] = [_absolute(p) for p in state.inputs]  # "-": explain says stdin is gone
    record["events"] = [_absolute(p) for p in state.events]
    record["adjustments"] = [_absolute(p) for p in state.adjustments]
    record["model"] = _absolute(state.model) if state.model else None
    target = Path(folder or Path.cwd()) / STATE_FILE
    with contextlib.suppress(OSError):
        target.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def load_state(folder: str | Path | None = None) -> RunState | None:
    path = Path(folder or Path.cwd()) / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RunState(**data)
    except (OSError, ValueError, TypeError):
        return None
