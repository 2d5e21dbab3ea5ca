"""``check``: validate a model and, given leads, that they have what the model needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from leadscore.engine import missing_columns, score
from leadscore.errors import InputError
from leadscore.ids import check_ids, id_warnings
from leadscore.io import ReadOptions, read_table
from leadscore.model import Model, load_model


def describe_model(model: Model) -> str:
    dims = ", ".join(model.dimension_names)
    parts = [f"{len(model.rules)} rules in {len(model.dimensions)} dimensions ({dims})"]
    if model.tiers:
        parts.append("tiers " + "/".join(b.label for b in model.tiers))
    if model.grades is not None:
        parts.append("grades")
    if model.min_score is not None:
        parts.append(f"qualifies at {model.min_score:g}")
    return f"model '{model.name}': " + ", ".join(parts)


def check_model(
    model_path: str | Path,
    inputs: Sequence[str | Path] = (),
    *,
    as_of: dt.date | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    dayfirst: bool = False,
) -> list[str]:
    """Lines describing what was checked. Raises ModelError or InputError on the first failing step.

    With leads, the model is also run on them, so unreadable values and rules that fire for no
    lead are reported as warnings.
    """
    model = load_model(model_path)
    lines = [f"{model_path}: OK, {describe_model(model)}"]
    if not inputs:
        return lines
    read = read_table(list(inputs), ReadOptions(sheet=sheet, header_row=header_row, encoding=encoding))
    source = ", ".join(read.sources)
    problems = missing_columns(model, read.frame.collect_schema().names(), source)
    if problems:
        raise InputError("; ".join(problems))
    result = score(read.frame, model, as_of=as_of, source=source, reasons=False)
    needed = len(model.lead_columns)
    lines.append(f"{source}: OK, {result.rows} rows; all {needed} columns the model reads are there")
    lines += [f"note: {n}" for n in read.notices]
    ids = check_ids(read.frame, model.id_column, model.null_values)
    lines += [f"warning: {w}" for w in [*id_warnings(ids, model.id_column, source), *result.warnings]]
    for row in result.rule_stats.filter(result.rule_stats["hits"] == 0).to_dicts():
        lines.append(f"warning: rule '{row['rule']}' (#{row['position']}) fired for no lead in {source}")
    return lines
