"""Sales adjustments: summed per lead, expired rows left out, unknown ids counted, in reasons and explain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from leadscore import InputError, parse_model_text, score
from leadscore.adjustments import load_adjustments, read_adjustments_file
from leadscore.plan import explain_plan, load_plan, score_plan

AS_OF = dt.date(2026, 11, 1)
SAMPLE = Path(__file__).parents[1] / "sample_data"

MODEL = parse_model_text(
    """
[model]
name = "t"
id = "lead_id"
[dimensions]
fit = { max = 30 }
[tiers]
hot = 40
cold = 0
[qualify]
min_score = 25
[[rules]]
name = "Exec"
dimension = "fit"
column = "title"
matches = "(?i)chief"
points = 20
"""
)
LEADS = pl.DataFrame({"lead_id": ["L1", "L2", "L3"], "title": ["Chief of staff", "Analyst", "Chief"]})


def adjustments(rows: list[dict[str, Any]], **options: Any) -> Any:
    frame = pl.DataFrame(rows, schema={"lead_id": pl.String, "points": pl.String, "reason": pl.String,
                                       "by": pl.String, "expires": pl.String})  # fmt: skip
    return load_adjustments(frame, as_of=AS_OF, source="adjustments.csv", **options)


ROWS = [
    {"lead_id": "L2", "points": "15", "reason": "Met at trade show", "by": "tom@acme.test", "expires": None},
    {
        "lead_id": " L2",
        "points": "+10",
        "reason": "Budget confirmed",
        "by": "ana@acme.test",
        "expires": "2026-11-01",
    },
    {"lead_id": "L3", "points": "-5", "reason": "Wrong contact", "by": None, "expires": "2026-10-31"},
    {"lead_id": "L9", "points": "20", "reason": "Referral", "by": "maria@acme.test", "expires": None},
]


def test_a_leads_adjustments_are_summed_into_their_own_dimension() -> None:
    result = score_plan(LEADS, MODEL, as_of=AS_OF, adjustments=adjustments(ROWS))
    got = {r["lead_id"]: r for r in result.frame.to_dicts()}
    assert [got[i]["adjustment_score"] for i in ("L1", "L2", "L3")] == [0, 25, 0]
    assert got["L2"]["score"] == 25 and got["L2"]["qualified"]
    assert got["L2"]["reasons"] == "Sales adjustment: Met at trade show, Budget confirmed +25"
    assert result.frame.columns[-7:] == [
        "score",
        "fit_score",
        "adjustment_score",
        "tier",
        "qualified",
        "rank",
        "reasons",
    ]
    assert not [c for c in result.frame.columns if c.startswith("__ls_")]


def test_expired_and_unknown_rows_are_counted_not_errors() -> None:
    result = score_plan(LEADS, MODEL, as_of=AS_OF, adjustments=adjustments(ROWS))
    summary = result.adjustments
    assert summary is not None
    assert (summary.total, summary.applied, summary.leads, summary.expired, summary.unknown) == (
        4,
        2,
        1,
        1,
        1,
    )
    assert result.notices == (
        "1 adjustment in adjustments.csv expired before 2026-11-01 and was ignored",
        "1 adjustment in adjustments.csv names a lead that is not in the leads ('L9')",
    )


@pytest.mark.parametrize("dimension", ["fit", " Fit ", "FIT"])
def test_the_file_can_name_the_dimension_and_its_cap_applies(dimension: str) -> None:
    rows = [{"lead_id": "L1", "points": "25", "reason": "Known account", "dimension": dimension}]
    frame = pl.DataFrame(rows)
    adj = load_adjustments(frame, as_of=AS_OF)
    got = score_plan(LEADS, MODEL, as_of=AS_OF, adjustments=adj).frame
    assert got.filter(pl.col("lead_id") == "L1")["fit_score"].item() == 30  # 20 + 25, capped at 30
    assert "adjustment_score" not in got.columns
    explained = explain_plan(LEADS, MODEL, ["L1"], as_of=AS_OF, adjustments=adj)
    assert [line.dimension for line in explained[0].adjustments] == ["fit"]


def test_a_dimension_the_model_does_not_have_is_refused() -> None:
    rows = [{"lead_id": i, "points": "5", "reason": "x", "dimension": "fitt"} for i in ("L1", "L2")]
    adj = load_adjustments(pl.DataFrame(rows), as_of=AS_OF, source="adj.csv")
    with pytest.raises(InputError) as caught:
        score_plan(LEADS, MODEL, as_of=AS_OF, adjustments=adj)
    assert str(caught.value) == (
        "adj.csv gives points to dimension 'fitt' on 2 rows (did you mean 'fit'?), which the model does not "
        "have (its dimensions: 'fit'); correct the dimension column, or leave it empty for points of their "
        "own ('adjustment')"
    )


def test_missing_columns_say_what_the_file_needs() -> None:
    with pytest.raises(InputError) as info:
        load_adjustments(
            pl.DataFrame({"lead": ["L1"], "pts": ["5"], "reason": ["x"]}), as_of=AS_OF, source="adj.csv"
        )
    assert str(info.value) == (
        "adj.csv has no 'lead_id' (did you mean 'lead'?), 'points' (did you mean 'pts'?) columns; an "
        "adjustments file needs the columns lead_id, points and reason (and may have by, expires)"
    )


def test_headers_typed_as_people_type_them_name_the_columns() -> None:
    expected = adjustments(ROWS).rows
    typed = {"lead_id": "Lead ID", "points": "Points", "reason": "REASON", "by": "By ", "expires": "Expires"}
    frame = pl.DataFrame(ROWS).rename(typed)
    assert_frame_equal(load_adjustments(frame, as_of=AS_OF, source="adj.csv").rows, expected)
    both = pl.DataFrame(ROWS).with_columns(pl.lit("x").alias("Reason"))  # reason is there: Reason is not it
    assert_frame_equal(load_adjustments(both, as_of=AS_OF, source="adj.csv").rows, expected)


def test_points_and_dates_that_cannot_be_read_name_their_rows() -> None:
    bad = [{**ROWS[0], "points": "ten"}, {**ROWS[1], "points": None}, {**ROWS[2], "expires": "soon"}]
    with pytest.raises(InputError, match=r"points must be numbers; row 2 has 'ten', row 3 has nothing"):
        adjustments(bad)
    with pytest.raises(InputError, match=r"expires must be dates \(2026-12-31\); row 6 has 'soon'"):
        adjustments([*ROWS, {**ROWS[2], "expires": "soon"}])


def test_points_in_a_whole_number_model_are_rounded_and_said_so() -> None:
    result = score_plan(LEADS, MODEL, as_of=AS_OF, adjustments=adjustments([{**ROWS[0], "points": "2,5"}]))
    assert result.frame.filter(pl.col("lead_id") == "L2")["adjustment_score"].item() == 3
    assert "1 adjustment in adjustments.csv has a fraction of a point" in result.notices[0]


def test_explain_lists_each_adjustment_and_agrees_with_score() -> None:
    adj = adjustments(ROWS)
    scored = score_plan(LEADS, MODEL, as_of=AS_OF, adjustments=adj).frame
    (e,) = explain_plan(LEADS, MODEL, ["L2"], as_of=AS_OF, adjustments=adj)
    assert e.score == scored.filter(pl.col("lead_id") == "L2")["score"].item()
    assert [(a.points, a.reason, a.by, a.expires) for a in e.adjustments] == [
        (15.0, "Met at trade show", "tom@acme.test", None),
        (10.0, "Budget confirmed", "ana@acme.test", "2026-11-01"),
    ]
    line = next(r for r in e.rules if r.name == "Sales adjustment")
    assert (line.points, line.values, line.dimension) == (25, {}, "adjustment")


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["L1", "L2", "L3", "L7", " L1 "]),
            st.integers(min_value=-30, max_value=30),
            st.one_of(st.none(), st.integers(min_value=-5, max_value=5)),
        ),
        max_size=12,
    )
)
def test_each_lead_gains_the_sum_of_its_current_adjustments(rows: list[tuple[str, int, int | None]]) -> None:
    records = [
        {"lead_id": i, "points": str(p), "reason": "r", "by": None,
         "expires": (AS_OF + dt.timedelta(days=d)).isoformat() if d is not None else None}
        for i, p, d in rows
    ]  # fmt: skip
    got = score_plan(LEADS, MODEL, as_of=AS_OF, adjustments=adjustments(records)).frame
    plain = score(LEADS, MODEL, as_of=AS_OF).frame
    for lead in ("L1", "L2", "L3"):
        want = sum(p for i, p, d in rows if i.strip() == lead and (d is None or d >= 0))
        row = got.filter(pl.col("lead_id") == lead)
        assert row["adjustment_score"].item() == want
        assert row["score"].item() == plain.filter(pl.col("lead_id") == lead)["score"].item() + want


def test_the_sample_file_with_segments() -> None:
    plan = load_plan(SAMPLE / "segments.toml")
    leads = pl.read_csv(SAMPLE / "leads.csv", infer_schema=False)
    adj = read_adjustments_file([SAMPLE / "adjustments.csv"], id_column="lead_id", as_of=AS_OF)
    result = score_plan(leads, plan, as_of=AS_OF, adjustments=adj)
    assert result.adjustments is not None
    assert (result.adjustments.expired, result.adjustments.unknown) == (2, 2)
    assert all(any(r.name == "Sales adjustment" for r in s.segment.model.rules) for s in result.segments)
    l0316 = result.frame.filter(pl.col("lead_id") == "L0316")
    assert l0316["adjustment_score"].item() == 10
