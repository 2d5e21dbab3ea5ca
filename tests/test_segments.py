"""Segments: the first matching segment's model scores each lead; one ranking across segments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadscore import InputError, ModelError, parse_model
from leadscore.cli import app
from leadscore.model import parse_predicate
from leadscore.plan import load_plan
from leadscore.segment_scoring import explain_segments, score_segments
from leadscore.segments import SegmentedModel, parse_segments, predicate_text
from tests import reference
from tests.test_properties import SCHEMA, _condition, leads, models

AS_OF = dt.date(2026, 11, 1)
SAMPLE = Path(__file__).parents[1] / "sample_data"


@st.composite
def segmented(draw: st.DrawFn) -> dict[str, Any]:
    """A segments file with 1-3 inline segments, random conditions and an optional fallback."""
    segments = []
    for i in range(draw(st.integers(min_value=1, max_value=3))):
        spec = draw(models())
        seg: dict[str, Any] = {"name": f"S{i}", "rules": spec["rules"]}
        for table in ("dimensions", "tiers", "qualify", "grades"):
            if table in spec:
                seg[table] = spec[table]
        if draw(st.integers(min_value=0, max_value=3)):
            seg["when"] = _condition(draw)
        segments.append(seg)
    return {"model": {"name": "segmented", "id": "lead_id"}, "segments": segments}


def reference_scores(sm: SegmentedModel, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    nulls = {v.strip().lower() for v in sm.null_values} | {""}
    scored = []
    for position, row in enumerate(rows):
        seg = next(
            (s for s in sm.segments if s.when is None or reference.predicate(s.when, row, nulls, AS_OF)), None
        )
        out: dict[str, Any] = {**row, "segment": None, "score": None, "_pos": position}
        if seg is not None:
            out.update(segment=seg.name, **reference.score_row(seg.model, row, AS_OF))
        scored.append(out)
    scored.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["lead_id"], r["_pos"]))
    for rank, r in enumerate(scored, start=1):
        r["rank"] = rank
    return scored


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=segmented(), rows=leads())
def test_each_lead_is_scored_by_its_first_matching_segment(
    spec: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    sm = parse_segments(spec)
    frame = pl.DataFrame(rows, schema=SCHEMA)
    try:
        got = score_segments(frame, sm, as_of=AS_OF).frame.to_dicts()
    except InputError:
        return  # a column none of whose values can be read: covered by test_properties
    want = reference_scores(sm, rows)
    keys = ["lead_id", "segment", "score", "rank", "tier", "grade", "qualified"]
    assert [[r.get(k) for k in keys] for r in got] == [[r.get(k) for k in keys] for r in want]
    assert [r["reasons"] or "" for r in got if r["segment"]] == [r["reasons"] for r in want if r["segment"]]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=segmented(), rows=leads())
def test_explain_agrees_with_score_and_names_the_segment(
    spec: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    sm = parse_segments(spec)
    frame = pl.DataFrame(rows, schema=SCHEMA)
    try:
        scored = score_segments(frame, sm, as_of=AS_OF).frame.filter(pl.col("segment").is_not_null())
    except InputError:
        return
    if scored.is_empty():
        return
    explained = {e.lead_id: e for e in explain_segments(frame, sm, scored["lead_id"].to_list(), as_of=AS_OF)}
    for row in scored.to_dicts():
        e = explained[row["lead_id"]]
        assert (e.segment, e.score, e.tier, e.qualified) == (
            row["segment"], row["score"], row.get("tier"), row.get("qualified"),
        )  # fmt: skip
        assert e.segment_reason


HEAD = '[model]\nname = "By size"\nid = "lead_id"\n'
RULES = '[[segments.rules]]\nname = "Demo"\ndimension = "engagement"\ncolumn = "demo"\nequals = true\npoints = 20\n'


def load(text: str, base: Path | None = None) -> SegmentedModel:
    import tomllib

    return parse_segments(tomllib.loads(HEAD + text), source="segments.toml", base_dir=base)


def problems(text: str, base: Path | None = None) -> list[str]:
    with pytest.raises(ModelError) as info:
        load(text, base)
    return info.value.problems


def test_inline_segments_inherit_the_tables_they_do_not_set() -> None:
    sm = load(
        "[tiers]\nhot = 50\ncold = 0\n[qualify]\nmin_score = 30\n"
        '[[segments]]\nname = "Big"\nwhen = { column = "size", gte = 1000 }\n' + RULES
        + "[segments.tiers]\ntop = 80\nrest = 0\n"
        '[[segments]]\nname = "Rest"\n' + RULES
    )  # fmt: skip
    big, rest = sm.segments
    assert [b.label for b in big.model.tiers] == ["top", "rest"]
    assert big.model.min_score == rest.model.min_score == 30
    assert [b.label for b in rest.model.tiers] == ["hot", "cold"]
    assert (big.model.name, big.source, predicate_text(big.when)) == ("Big", "inline", "size ≥ 1000")


def test_model_files_are_read_relative_to_the_segments_file() -> None:
    import tomllib

    data = tomllib.loads((SAMPLE / "segments.toml").read_text(encoding="utf-8"))
    data = {k: v for k, v in data.items() if k not in ("routing", "accounts")}
    sm = parse_segments(data, source="segments.toml", base_dir=SAMPLE)
    assert [(s.name, s.model.name) for s in sm.segments] == [
        ("Enterprise", "Enterprise"), ("Partners", "Partners"), ("SMB", "SMB"),
    ]  # fmt: skip
    assert sm.segments[0].model.min_score == 55  # the file's own [qualify], not the parent's
    assert sm.has_fallback and not sm.unreachable()


def test_every_problem_is_reported_with_its_segment(tmp_path: Path) -> None:
    (tmp_path / "enterprise.toml").write_text(
        HEAD + '[[rules]]\nname = "x"\ndimension = "fit"\ncolumn = "t"\nequal = "a"\npoints = 1\n',
        encoding="utf-8",
    )
    found = problems(
        '[[segments]]\nname = "Enterprise"\nwhen = { column = "size", gte = "big" }\nmodel = "enterprise.toml"\n'
        '[[segments]]\nname = "Mid"\nmodel = "midmarket.toml"\n'
        '[[segments]]\nname = "Both"\nmodel = "enterprise.toml"\n' + RULES
        + '[[segments]]\nname = "None"\nwehn = 3\n',
        tmp_path,
    )  # fmt: skip
    text = "\n".join(found)
    assert "segment 'Enterprise' (#1) when: gte must be a number or a date (2026-01-31), not 'big'" in text
    assert (
        f"segment 'Enterprise' (#1): {tmp_path / 'enterprise.toml'}: rule 'x' (#1): unknown key 'equal'"
        in text
    )
    assert f"segment 'Mid' (#2): model file 'midmarket.toml' not found in {tmp_path}; model paths" in text
    assert "segment 'Both' (#3): has both model = 'enterprise.toml' and [[segments.rules]]; keep one" in text
    assert "segment 'None' (#4): unknown key 'wehn' (did you mean 'when'?)" in text
    assert "segment 'None' (#4): needs a model" in text


def test_a_missing_model_file_beside_the_segments_file_is_not_taken_for_it(in_tmp: Path) -> None:
    # the segments file is the one .toml near a name like its own; it cannot be the model file
    Path("seg.toml").write_text('[model]\nname = "s"\n[[segments]]\nname = "All"\nmodel = "se.toml"\n')
    with pytest.raises(ModelError) as info:
        load_plan("seg.toml")
    assert info.value.problems == [
        "segment 'All' (#1): model file 'se.toml' not found in this folder; model paths are relative "
        "to the segments file"
    ]


def test_a_problem_in_an_inherited_table_is_said_once() -> None:
    found = problems(
        "[tiers]\nhot = 'high'\n"
        + '[[segments]]\nname = "A"\n'
        + RULES
        + '[[segments]]\nname = "B"\n'
        + RULES
    )
    assert found == ["[tiers]: 'hot' must be a number (the lowest score that earns it), not 'high'"]


def test_segments_file_shape_problems() -> None:
    assert problems('[[rules]]\nname = "x"\n[[segments]]\nname = "A"\n' + RULES)[0].startswith(
        "has both [[rules]] and [[segments]]"
    )
    assert problems('[[segments]]\nname = "A"\n' + RULES + '[[segments]]\nname = "A"\n' + RULES) == [
        "segment 'A' (#2): name is already used by segment #1; names must be unique"
    ]


def test_segments_that_can_never_match_are_named() -> None:
    sm = load(
        '[[segments]]\nname = "Big"\nwhen = { column = "size", gte = 1000 }\n' + RULES
        + '[[segments]]\nname = "Also big"\nwhen = { column = "size", gte = 1000 }\n' + RULES
        + '[[segments]]\nname = "Rest"\n' + RULES
        + '[[segments]]\nname = "Late"\nwhen = { column = "size", lt = 10 }\n' + RULES
    )  # fmt: skip
    assert sm.unreachable() == [
        "segment 'Also big' (#2) can never match: segment 'Big' (#1) before it has the same 'when'",
        "segment 'Late' (#4) can never match: segment 'Rest' (#3) before it has no 'when' and takes every "
        "lead that gets that far",
    ]


def test_leads_no_segment_takes_stay_unscored_and_are_counted() -> None:
    sm = load('[[segments]]\nname = "Big"\nwhen = { column = "size", gte = 1000 }\n' + RULES)
    frame = pl.DataFrame(
        {"lead_id": ["a", "b", "c"], "size": ["5000", "10", None], "demo": ["yes", "yes", "no"]}
    )
    result = score_segments(frame, sm, as_of=AS_OF)
    assert result.frame.select("lead_id", "segment", "score", "rank").rows() == [
        ("a", "Big", 20, 1), ("b", None, None, 2), ("c", None, None, 3),
    ]  # fmt: skip
    assert result.warnings == (
        "2 leads match no segment and were not scored (their segment and score are empty); "
        "add a last segment without 'when' to score them",
    )
    with pytest.raises(InputError, match="lead 'b' matches no segment"):
        explain_segments(frame, sm, ["b"], as_of=AS_OF)


def test_missing_columns_name_the_segment() -> None:
    sm = load('[[segments]]\nname = "Big"\nwhen = { column = "employees", gte = 1000 }\n' + RULES)
    frame = pl.DataFrame({"lead_id": ["a"], "size": ["5000"]})
    with pytest.raises(InputError) as info:
        score_segments(frame, sm, as_of=AS_OF)
    assert str(info.value) == (
        "segment 'Big' (#1) when: column 'employees' is not in the leads file; "
        "add it to the export, or point the when at a column the file has; "
        "segment 'Big' (#1): rule 'Demo' (#1): column 'demo' is not in the leads file; "
        "add it to the export, or point the rule at a column the file has"
    )


def test_explanation_says_which_condition_held() -> None:
    sm = load(
        '[[segments]]\nname = "Big"\nwhen = { all = [ { column = "size", gte = 1000 }, '
        '{ column = "country", in = ["Spain", "Mexico"] } ] }\n'
        + RULES
        + '[[segments]]\nname = "Rest"\n'
        + RULES
    )
    frame = pl.DataFrame(
        {"lead_id": ["a", "b"], "size": ["1,200", "5000"], "country": ["Spain", "Peru"], "demo": ["y", "n"]}
    )
    a, b = explain_segments(frame, sm, ["a", "b"], as_of=AS_OF)
    assert (a.segment, a.segment_reason, a.score) == (
        "Big",
        "size 1,200 ≥ 1000; country Spain in [Spain, Mexico]",
        20,
    )
    assert (b.segment, b.segment_reason) == ("Rest", "the fallback: no segment before it matched")


def test_parse_predicate_reports_where() -> None:
    pred, found = parse_predicate({"column": "x", "gte": "a"}, "here")
    assert pred is None and found == ["here: gte must be a number or a date (2026-01-31), not 'a'"]
    assert parse_model  # the public parser the segments reuse


def test_a_run_where_most_leads_match_no_segment_reports_the_scored_ones(tmp_path: Path) -> None:
    (tmp_path / "segments.toml").write_text(
        HEAD + '[[segments]]\nname = "Big"\nwhen = { column = "size", gte = 1000 }\n' + RULES,
        encoding="utf-8",
    )
    rows = ["lead_id,size,demo", "a,5000,yes", "b,10,yes", "c,,no", "d,20,no"]
    (tmp_path / "leads.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["score", str(tmp_path / "leads.csv"), "-m", str(tmp_path / "segments.toml"), "-o",
              str(tmp_path / "out.csv"), "--as-of", AS_OF.isoformat()],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Leads scored 1 (3 of 4 match no segment)" in out
    assert "Scores median 20, from 20 to 20" in out
    assert "3 leads match no segment and were not scored" in " ".join(result.stderr.split())
