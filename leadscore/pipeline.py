"""Files in, files out: the library's ``score_file`` and what the command line builds on.

This is the one place that joins reading, the model, scoring and writing, so the CLI stays a
thin layer of options and messages.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from leadscore.engine import TIER, ScoredLeads, score
from leadscore.errors import UsageError
from leadscore.events import EventLog
from leadscore.explain import Explanation, explain
from leadscore.io import (
    ReadOptions,
    ReadResult,
    XlsxStyle,
    format_for,
    read_table,
    refuse_overwrite,
    write_table,
)
from leadscore.model import Model, default_model, load_model

MODEL_FILE = "leadscore.toml"
TIER_COLOURS = ("#F8696B", "#FFD966", "#9BC2E6")  # top tier red, middle ones yellow, lowest blue


@dataclass(frozen=True)
class ModelChoice:
    model: Model
    origin: str  # "given", "project" (./leadscore.toml) or "built-in"

    @property
    def label(self) -> str:
        if self.origin == "built-in":
            return f"the built-in model '{self.model.name}'"
        return f"{self.model.source} ('{self.model.name}')"


def resolve_model(path: str | Path | None = None) -> ModelChoice:
    """The model named on the command line, else ./leadscore.toml, else the built-in default."""
    if path is not None:
        return ModelChoice(load_model(path), "given")
    local = Path.cwd() / MODEL_FILE
    if local.is_file():
        return ModelChoice(load_model(local), "project")
    return ModelChoice(default_model(), "built-in")


def read_leads(sources: Sequence[str | Path], options: ReadOptions | None = None) -> ReadResult:
    """Read one or more leads files (stacked) lazily. See :func:`leadscore.io.read_table`."""
    if not sources:
        raise UsageError("no input file given; name a leads file, e.g. leadscore score leads.csv")
    return read_table(list(sources), options or ReadOptions())


def read_events(sources: Sequence[str | Path] | None, options: ReadOptions | None = None) -> EventLog | None:
    """Read an activity log (any input format); None when no file is given."""
    if not sources:
        return None
    opts = options or ReadOptions()
    read = read_table(list(sources), ReadOptions(encoding=opts.encoding, separator=opts.separator))
    return EventLog(read.frame, ", ".join(read.sources))


def default_output_path(sources: Sequence[str | Path]) -> Path:
    """``<first input's stem>.scored.csv`` in the current folder."""
    first = str(sources[0])
    stem = "stdin" if first == "-" else Path(first).stem
    return Path.cwd() / f"{stem}.scored.csv"


def xlsx_style(model: Model) -> XlsxStyle:
    labels = [b.label for b in model.tiers]
    colours: dict[str, str] = {}
    for i, label in enumerate(labels):
        if i == len(labels) - 1 and i > 0:
            colours[label] = TIER_COLOURS[2]
        else:
            colours[label] = TIER_COLOURS[min(i, 1)]
    return XlsxStyle(tier_colors=colours, tier_column=TIER)


def score_file(
    sources: Sequence[str | Path],
    model: Model | str | Path | None = None,
    *,
    output: str | Path | None = None,
    as_of: dt.date | None = None,
    options: ReadOptions | None = None,
    reasons: bool = True,
    safe_csv: bool = False,
    dayfirst: bool = False,
    events: Sequence[str | Path] | None = None,
    engine: str = "polars",
) -> ScoredLeads:
    """Read leads, score them and write the ranked file; return the result for a report.

    ``model`` may be a :class:`Model`, a path, or None for ./leadscore.toml or the built-in model.
    ``output`` defaults to ``<input stem>.scored.csv`` in the current folder; ``"-"`` is stdout.
    ``engine="duckdb"`` scores through DuckDB running the model compiled to SQL (leadscore.sql).
    """
    started = time.perf_counter()
    chosen = model if isinstance(model, Model) else resolve_model(model).model
    target = str(output) if output is not None else str(default_output_path(sources))
    if target != "-":
        format_for(target)
        refuse_overwrite([target], [s for s in sources if str(s) != "-"])
    read = read_leads(sources, options)
    label = ", ".join(read.sources) or "the leads file"
    log = read_events(events, options)
    if engine == "duckdb":
        from leadscore.sql.engines import score_leads_with_duckdb

        result = score_leads_with_duckdb(
            read.frame.collect(), chosen, as_of=as_of or dt.date.today(), reasons=reasons, dayfirst=dayfirst,
            events=log.frame.collect() if log is not None else None,
        )  # fmt: skip
    else:
        result = score(
            read.frame, chosen, as_of=as_of, reasons=reasons, dayfirst=dayfirst, source=label, events=log
        )
    write_table(result.frame, target, safe_csv=safe_csv, xlsx_styles=xlsx_style(chosen))
    return replace(
        result,
        seconds=time.perf_counter() - started,
        sources=tuple(read.sources),
        notices=(*read.notices, *result.notices),
        output=target,
    )


def explain_file(
    ids: Sequence[str],
    sources: Sequence[str | Path],
    model: Model | str | Path | None = None,
    *,
    as_of: dt.date | None = None,
    options: ReadOptions | None = None,
    events: Sequence[str | Path] | None = None,
    dayfirst: bool = False,
) -> list[Explanation]:
    """Explain leads by id, reading only what it takes to find them."""
    chosen = model if isinstance(model, Model) else resolve_model(model).model
    read = read_leads(sources, options)
    return explain(
        read.frame,
        chosen,
        ids,
        as_of=as_of or dt.date.today(),
        events=read_events(events, options),
        dayfirst=dayfirst,
        source=", ".join(read.sources),
    )
