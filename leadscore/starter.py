"""``init``: the starter model and sample leads, written where the user asks."""

from __future__ import annotations

from pathlib import Path

from leadscore.errors import UsageError
from leadscore.model import default_model_text

MODEL_NAME = "leadscore.toml"
LEADS_NAME = "sample_leads.csv"
SAMPLE_ROWS = 200


def write_starter(folder: str | Path = ".", *, force: bool = False) -> list[Path]:
    """Write ``leadscore.toml`` and ``sample_leads.csv`` into ``folder``; return their paths."""
    from leadscore.io import write_table
    from leadscore.synthetic import generate_leads

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    model_path, leads_path = target / MODEL_NAME, target / LEADS_NAME
    existing = [p for p in (model_path, leads_path) if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise UsageError(f"{names} already exists; use --force to overwrite, or init another folder")
    model_path.write_text(default_model_text(), encoding="utf-8")
    write_table(generate_leads(SAMPLE_ROWS, seed=2026), leads_path)
    return [model_path, leads_path]
