"""What fit makes of each column: its kind, or why it is skipped."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from leadscore.predictive.profile import (
    BOOLEAN,
    CATEGORY,
    DATE,
    NUMBER,
    guess_id_column,
    is_engagement,
    profile_columns,
)

AS_OF = dt.date(2026, 11, 1)
N = 200


def frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "lead_id": [f"L{i:04d}" for i in range(N)],
            "row": list(range(1, N + 1)),
            "email": [f"person{i}@example.test" for i in range(N)],
            "first_name": ["Ann", "Bob"] * (N // 2),
            "notes": [
                f"Called on day {i}, they asked for a demo and a price list for their team" for i in range(N)
            ],
            "constant": ["same"] * N,
            "empty": [None] * N,
            "demo": ["Yes", "no", "TRUE", "0", "y"] * (N // 5),
            "size": ["1,200", "45", "N/A", "300", "7"] * (N // 5),
            "revenue": [float(i) * 1.5 for i in range(N)],
            "created": ["2026-01-05", "2025-12-31", "2026/03/01", "", "2026-10-30"] * (N // 5),
            "industry": ["Software", " software ", "Retail", "Health", "N/A"] * (N // 5),
        },
        schema_overrides={"empty": pl.String},
    )


@pytest.fixture(scope="module")
def profiles() -> dict[str, tuple[str | None, str | None]]:
    f = frame()
    return {p.name: (p.kind, p.skip_reason) for p in profile_columns(f, f.columns, as_of=AS_OF)}


@pytest.mark.parametrize(
    ("column", "kind"),
    [("demo", BOOLEAN), ("size", NUMBER), ("revenue", NUMBER), ("created", DATE), ("industry", CATEGORY)],
)
def test_kinds(profiles: dict[str, tuple[str | None, str | None]], column: str, kind: str) -> None:
    assert profiles[column] == (kind, None)


@pytest.mark.parametrize(
    ("column", "reason"),
    [
        ("lead_id", "id-like: 200 different values in 200 rows"),
        ("row", "id-like: every value different, counting up"),
        ("email", "personal details"),
        ("first_name", "personal details"),
        ("notes", "free text: 200 different values, 71 characters on average"),
        ("constant", "constant: every value is the same"),
        ("empty", "empty"),
    ],
)
def test_skipped_columns_say_why(
    profiles: dict[str, tuple[str | None, str | None]], column: str, reason: str
) -> None:
    assert profiles[column] == (None, reason)


@pytest.mark.parametrize(
    ("name", "engagement"),
    [
        ("website_visits", True), ("emailClicks", True), ("demo_requested", True), ("last_activity", True),
        ("pricing_page_views", True), ("webinar_attended", True), ("job_title", False),
        ("company_size", False), ("last_name", False), ("industry", False), ("created_at", False),
    ],
)  # fmt: skip
def test_engagement_columns_are_guessed_from_their_names(name: str, engagement: bool) -> None:
    assert is_engagement(name) is engagement


def test_id_column_is_found_by_name() -> None:
    assert guess_id_column(["x", "Lead_ID"]) == "Lead_ID"
    assert guess_id_column(["x", "contact_id"]) == "contact_id"
    assert guess_id_column(["x", "AccountId"]) == "AccountId"
    assert guess_id_column(["x", "idea", "paid"]) is None
