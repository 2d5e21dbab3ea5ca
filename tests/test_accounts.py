"""Accounts: leads rolled up by company, against a plain-Python roll-up."""

from __future__ import annotations

import statistics
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadscore import InputError, ModelError
from leadscore.accounts import ACCOUNT_SCORES, account_table, parse_accounts
from leadscore.plan import parse_plan

COMPANIES = ["Acme Inc", "acme  inc", " ACME INC ", "Beta", "Gamma GmbH", "", None, "N/A"]


def reference(rows: list[dict[str, Any]], method: str) -> dict[str | None, dict[str, Any]]:
    """Group by account (spaces and case ignored; blank is no account) in plain Python."""
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r["rank"]):
        name = (row["company"] or "").strip()
        key = " ".join(name.split()).lower() if name and name != "N/A" else None
        groups.setdefault(key, []).append(row)
    out = {}
    for key, members in groups.items():
        scores = sorted((m["score"] for m in members if m["score"] is not None), reverse=True)
        value = None
        if scores:
            value = {"max": scores[0], "sum": sum(scores), "mean": statistics.mean(scores),
                     "top2_mean": statistics.mean(scores[:2])}[method]  # fmt: skip
        out[key] = {
            "leads": len(members),
            "account_score": round(value, 2) if value is not None else None,
            "qualified": sum(1 for m in members if m["qualified"]),
            "best_lead": members[0]["lead_id"],
            "shown": members[0]["company"].strip() if key is not None else "(no account)",
        }
    return out


@st.composite
def scored(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=0, max_value=30))
    scores = [draw(st.one_of(st.none(), st.integers(min_value=-20, max_value=90))) for _ in range(n)]
    order = sorted(range(n), key=lambda i: (scores[i] is None, -(scores[i] or 0), i))
    rank = {i: r for r, i in enumerate(order, start=1)}
    return [
        {"lead_id": f"L{i:02d}", "company": draw(st.sampled_from(COMPANIES)), "score": scores[i],
         "qualified": scores[i] is not None and scores[i] >= 50, "rank": rank[i]}
        for i in range(n)
    ]  # fmt: skip


SCHEMA = {
    "lead_id": pl.String,
    "company": pl.String,
    "score": pl.Int64,
    "qualified": pl.Boolean,
    "rank": pl.Int64,
}


@settings(max_examples=60, deadline=None)
@given(rows=scored(), method=st.sampled_from(ACCOUNT_SCORES))
def test_accounts_match_a_plain_roll_up(rows: list[dict[str, Any]], method: str) -> None:
    table = account_table(pl.DataFrame(rows, schema=SCHEMA), "company", id_column="lead_id", score=method)
    want = reference(rows, method)
    assert table.height == len(want)
    for row in table.to_dicts():
        key = None if row["rank"] is None else " ".join(row["company"].split()).lower()
        expected = want[key]
        assert row["company"] == expected["shown"]
        assert (row["leads"], row["qualified"], row["best_lead"]) == (
            expected["leads"], expected["qualified"], expected["best_lead"],
        )  # fmt: skip
        assert row["account_score"] == pytest.approx(expected["account_score"])
    ranked = table.filter(pl.col("rank").is_not_null())
    scores = [s if s is not None else float("-inf") for s in ranked["account_score"].to_list()]
    assert scores == sorted(scores, reverse=True)
    assert ranked["rank"].to_list() == list(range(1, ranked.height + 1))
    assert table["company"].to_list()[ranked.height :] == (["(no account)"] if None in want else [])


def test_an_account_is_as_good_as_its_two_best_leads() -> None:
    frame = pl.DataFrame(
        {"lead_id": ["a", "b", "c", "d", "e"], "company": ["Acme", "acme", "Acme ", "Beta", None],
         "score": [90, 40, 10, 70, 95], "qualified": [True, False, False, True, True], "rank": [2, 4, 5, 3, 1]}
    )  # fmt: skip
    table = account_table(frame, "company", id_column="lead_id", score="top2_mean")
    assert table.rows() == [
        (1, "Beta", 1, 70.0, 70, 70.0, 1, "d"),
        (2, "Acme", 3, 65.0, 90, 46.67, 1, "a"),
        (None, "(no account)", 1, 95.0, 95, 95.0, 1, "e"),
    ]
    assert table.columns == [
        "rank", "company", "leads", "account_score", "best_score", "mean_score", "qualified", "best_lead",
    ]  # fmt: skip


def test_a_missing_account_column_is_named() -> None:
    frame = pl.DataFrame({"lead_id": ["a"], "company": ["x"], "score": [1], "rank": [1]})
    with pytest.raises(
        InputError, match="--accounts: column 'compnay' is not in the leads \\(did you mean 'company'\\?\\)"
    ):
        account_table(frame, "compnay", id_column="lead_id")


def test_accounts_settings_are_validated() -> None:
    assert parse_accounts({"score": "top2_mean", "column": "company"})[0] is not None
    assert parse_accounts({"score": "top_2_mean", "colum": "x"})[1] == [
        "[accounts]: unknown key 'colum' (did you mean 'column'?)",
        "[accounts] score must be one of 'max', 'sum', 'mean', 'top2_mean', not 'top_2_mean' (did you mean "
        "'top2_mean'?)",
    ]
    with pytest.raises(ModelError, match="score must be one of"):
        parse_plan({"model": {"name": "m"}, "rules": [{"name": "r", "dimension": "fit", "column": "x",
                                                        "equals": 1, "points": 1}], "accounts": {"score": "median"}})  # fmt: skip
