"""``init``: the starter model and sample leads, written where the user asks."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from leadscore.errors import UsageError, spelt_differently
from leadscore.model import default_model, default_model_text

MODEL_NAME = "leadscore.toml"
LEADS_NAME = "sample_leads.csv"
SAMPLE_ROWS = 200


@dataclass(frozen=True)
class Starter:
    """What ``init`` wrote, and what it could not fit to the user's leads file."""

    written: list[Path]
    renamed: dict[str, str]  # the built-in model's column -> the leads file's spelling of it
    missing: list[str]  # columns the model reads that the leads file does not have


def write_starter(
    folder: str | Path = ".", *, force: bool = False, columns: Sequence[str] | None = None
) -> Starter:
    """Write ``leadscore.toml`` and ``sample_leads.csv`` into ``folder``.

    With ``columns`` (the header of the user's own leads file), the model reads those columns
    where the file spells the built-in names another way ('Job Title' for job_title), and no
    sample leads are written.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    model_path, leads_path = target / MODEL_NAME, target / LEADS_NAME
    paths = [model_path] if columns is not None else [model_path, leads_path]
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise UsageError(f"{names} already exists; use --force to overwrite, or init another folder")
    text, renamed, missing = default_model_text(), {}, []
    if columns is not None:
        wanted = default_model().lead_columns
        renamed = spelt_differently(wanted, columns)
        missing = [c for c in wanted if c not in columns and c not in renamed]
        text = with_columns_renamed(text, renamed)
    model_path.write_text(text, encoding="utf-8")
    if columns is None:
        from leadscore.io import write_table
        from leadscore.synthetic import generate_leads

        write_table(generate_leads(SAMPLE_ROWS, seed=2026), leads_path)
    return Starter(paths, renamed, missing)


def with_columns_renamed(text: str, renamed: Mapping[str, str]) -> str:
    """The model file ``text`` reading column ``new`` wherever it read ``old`` (``column = "old"``
    and ``id = "old"``), for each ``old -> new`` of ``renamed``."""
    if not renamed:
        return text
    olds = "|".join(re.escape(old) for old in renamed)
    pattern = re.compile(rf'\b(column|id)(\s*=\s*)"({olds})"')
    return pattern.sub(lambda m: f"{m[1]}{m[2]}{_toml_string(renamed[m[3]])}", text)


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)
