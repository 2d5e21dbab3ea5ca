"""What the last ``score`` run in a folder used, so ``explain`` needs no repeated options.

``score`` writes ``.leadscore-run.json`` in the working directory: the input files, the model,
the events and adjustments files, the as-of date, how the files were read and which row of a
repeated id was kept, and the size and modification time of each file it read, so that
``explain`` can say when one has changed since. ``explain`` reads it; its own options
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
    dayfirst: bool | None = None  # as --dayfirst/--monthfirst gave it; None: as the file says
    adjustments: list[str] = field(default_factory=list)
    decimal_comma: bool | None = None
    dedupe: str | None = None  # first or last: the rows of a repeated id that score kept
    files: dict[str, str] = field(default_factory=dict)  # each file read (model included): its fingerprint

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)


def _absolute(path: str | Path) -> str:
    return str(path) if str(path) == "-" else str(Path(path).resolve())


def fingerprint(path: str | Path) -> str | None:
    """The size and modification time of a file, which change when it is saved again; None if it is gone."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def fingerprints(paths: list[str | Path]) -> dict[str, str]:
    """The fingerprint of each of ``paths`` there is (standard input, "-", has none), by absolute path."""
    found = {_absolute(p): fingerprint(p) for p in paths if str(p) != "-"}
    return {path: print_ for path, print_ in found.items() if print_ is not None}


def changed_since(state: RunState, paths: list[str | Path]) -> list[str]:
    """Those of ``paths`` the run read that are not as it read them (saved again, or gone)."""
    return [str(p) for p in paths if (f := state.files.get(_absolute(p))) is not None and fingerprint(p) != f]


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
