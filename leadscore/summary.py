"""A machine-readable summary of a score run, for monitoring a nightly job (``--summary-json``).

A run that fails still gets a summary, with ``"status": "failed"``, the exit code and the error,
so a monitor that reads the file sees every night, not only the good ones. Fields that a failed
run could not know (counts, say) are ``null``. The file is replaced in one step, like every output.

The summary holds timings and clock times, so, unlike the ranked file, it differs from run to run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadscore import __version__
from leadscore.engine import TIER, ScoredLeads
from leadscore.io.atomic import atomic_path
from leadscore.model import default_model_text

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class RunFiles:
    """The files a run was given, whether or not it got far enough to read them."""

    inputs: Sequence[str] = ()
    model: str | None = None  # None: the built-in model
    events: Sequence[str] = ()
    previous: str | None = None
    output: str | None = None
    changes_output: str | None = None


@dataclass(frozen=True)
class RunOutcome:
    started: dt.datetime
    finished: dt.datetime
    exit_code: int = 0
    error: str | None = None
    warnings: Sequence[str] = ()
    notices: Sequence[str] = ()


def sha256_of(path: str | Path) -> str | None:
    """The file's SHA-256 in hex; None for standard input or a file that cannot be read."""
    if str(path) == "-":
        return None
    try:
        with Path(path).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _file(path: str | Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    if str(path) == "-":
        return {"path": "-", "sha256": None, "bytes": None}
    p = Path(path)
    size = p.stat().st_size if p.is_file() else None
    return {"path": str(p.resolve()), "sha256": sha256_of(p), "bytes": size}


def _model(files: RunFiles) -> dict[str, Any]:
    if files.model is None:
        text_hash = hashlib.sha256(default_model_text().encode("utf-8")).hexdigest()
        return {"name": None, "path": None, "sha256": text_hash}
    return {"name": None, "path": str(Path(files.model).resolve()), "sha256": sha256_of(files.model)}


def snapshot_inputs(files: RunFiles) -> dict[str, Any]:
    """Path, size and SHA-256 of every file the run reads, taken before it starts.

    Taken first because the output may replace the ``--previous`` file (the usual nightly set-up),
    and the checksum must be of what was compared with.
    """
    return {
        "inputs": [_file(p) for p in files.inputs],
        "events": [_file(p) for p in files.events],
        "previous": _file(files.previous),
        "model": _model(files),
    }


def _counts(result: ScoredLeads) -> dict[str, Any]:
    counts, model = result.counts, result.model
    tiers = None
    if model.tiers and TIER in counts.top.columns:
        tiers = {band.label: counts.tiers.get(band.label, 0) for band in model.tiers}
    qualified = counts.qualified
    changes = result.changes
    ids = result.ids
    return {
        "rows": {
            "read": ids.rows if ids is not None else None,
            "scored": counts.rows,
            "written": result.rows_written,
            "rejected": result.rejected_rows,
            "blank_ids": ids.blank if ids is not None else None,
            "repeated_ids": ids.duplicate_ids if ids is not None else None,
            "rows_with_repeated_ids": ids.duplicate_rows if ids is not None else None,
        },
        "tiers": tiers,
        "qualified": qualified,
        "newly_qualified": changes.counts["newly_qualified"] if changes is not None else None,
        "changes": (
            {**changes.counts, "gone": changes.gone, "without_id": changes.unmatched}
            if changes is not None
            else None
        ),
        "as_of": result.as_of.isoformat(),
        "timings": {step: round(seconds, 3) for step, seconds in result.timings.items()},
    }


def build_summary(
    files: RunFiles, read: dict[str, Any], outcome: RunOutcome, result: ScoredLeads | None = None
) -> dict[str, Any]:
    """The summary of one run as a JSON-ready dict.

    ``read`` is what :func:`snapshot_inputs` returned before the run; ``result`` is None when
    the run failed before scoring finished.
    """
    counts = _counts(result) if result is not None else {}
    model = {**read["model"], "name": result.model.name if result is not None else None}
    return {
        "schema": SCHEMA_VERSION,
        "leadscore": __version__,
        "status": "ok" if outcome.exit_code == 0 else "failed",
        "exit_code": outcome.exit_code,
        "error": outcome.error,
        "started": outcome.started.isoformat(timespec="seconds"),
        "finished": outcome.finished.isoformat(timespec="seconds"),
        "as_of": counts.get("as_of"),
        "inputs": read["inputs"],
        "events": read["events"],
        "previous": read["previous"],
        "model": model,
        "output": _file(files.output) if outcome.exit_code == 0 else None,
        "changes_output": _file(files.changes_output) if outcome.exit_code == 0 else None,
        "rows": counts.get("rows"),
        "tiers": counts.get("tiers"),
        "qualified": counts.get("qualified"),
        "newly_qualified": counts.get("newly_qualified"),
        "changes": counts.get("changes"),
        "warnings": list(outcome.warnings),
        "notices": list(outcome.notices),
        "timings": counts.get("timings", {}) | {"wall": _seconds(outcome)},
    }


def _seconds(outcome: RunOutcome) -> float:
    return round((outcome.finished - outcome.started).total_seconds(), 3)


def write_summary(path: str | Path, summary: dict[str, Any]) -> None:
    """Write the summary as indented UTF-8 JSON, replacing the file in one step."""
    text = json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n"
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8")
