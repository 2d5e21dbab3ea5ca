"""What fit makes of each column: its kind, or why it is skipped."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadscore.coerce import Conventions
from leadscore.predictive.profile import (
    BOOLEAN,
    CATEGORY,
    DATE,
    NUMBER,
    guess_id_column,
    is_engagement,
    is_id_name,
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


def expected_profile(name: str, cells: list[str]) -> tuple[str | None, str | None]:
    """A plain reference for columns of whole numbers written as text: identifiers (a column
    named like an id, or codes with leading zeros) are text, skipped when nearly all different."""
    values = [int(c) for c in cells]
    present, distinct = len(cells), len(set(cells))
    zeros = [c for c in cells if len(c) > 1 and c[0] == "0"]
    if is_id_name(name):
        code = "numbers in a column named like an id"
    elif zeros and len(zeros) >= 0.01 * present:
        code = f"codes written with leading zeros, such as '{zeros[0]}'"
    else:
        counting = len(set(values)) == present >= 20 and max(values) - min(values) + 1 <= 1.5 * present
        return (None, "id-like: every value different, counting up") if counting else (NUMBER, None)
    if present >= 20 and distinct > 0.5 * present:
        return None, f"id-like: {code}, {distinct:,} different values in {present:,} rows"
    return CATEGORY, None


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(["hs_object_id", "Record ID", "zip_code", "revenue", "employees", "accountId"]),
    numbers=st.lists(st.integers(2, 99_999), min_size=20, max_size=80),
    spread=st.integers(3, 500),
    padded=st.lists(st.booleans(), min_size=80, max_size=80),
)
def test_numbers_that_are_identifiers_are_read_as_text(
    name: str, numbers: list[int], spread: int, padded: list[bool]
) -> None:
    # values from a pool of `spread`, so that some columns repeat values and some barely do
    cells = [str(2 + n % spread) for n in numbers]
    cells = [c.zfill(5) if pad else c for c, pad in zip(cells, padded, strict=False)]
    if len(set(cells)) < 3:
        cells += ["7", "8", "9"]
    got = profile_columns(pl.DataFrame({name: cells}), [name], as_of=AS_OF)[0]
    assert (got.kind, got.skip_reason) == expected_profile(name, cells)


def test_continuous_numbers_stay_numbers_however_distinct() -> None:
    revenue = [f"{1000 + 37.5 * i:.2f}" for i in range(N)]
    employees = [str(5 + 7 * i) for i in range(N)]
    f = pl.DataFrame(
        {"revenue": revenue, "employees": employees, "hs_object_id": [str(90_000 + 17 * i) for i in range(N)]}
    )
    got = {p.name: (p.kind, p.skip_reason) for p in profile_columns(f, f.columns, as_of=AS_OF)}
    assert got == {
        "revenue": (NUMBER, None),
        "employees": (NUMBER, None),
        "hs_object_id": (
            None,
            "id-like: numbers in a column named like an id, 200 different values in 200 rows",
        ),
    }


@settings(max_examples=40, deadline=None)
@example([dt.date(2026, m, d) for m in range(1, 11) for d in (1, 5, 9)] + [dt.date(2026, 2, 28)])
@given(st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2026, 10, 31)), min_size=30, max_size=80, unique=True))
def test_day_first_dates_are_warned_about_as_score_warns(dates: list[dt.date]) -> None:
    cells = [d.strftime("%d/%m/%Y") for d in dates]
    got = profile_columns(pl.DataFrame({"last_activity": cells}), ["last_activity"], as_of=AS_OF)[0]
    # read month first, a day above 12 is no month: those cells are not dates
    unread = [c for c, d in zip(cells, dates, strict=True) if d.day > 12]
    if not unread:
        assert (got.kind, got.warnings) == (DATE, ())
        return
    hint = "they look like day/month/year: add --dayfirst"
    shown = f"e.g. '{unread[0]}' on 1 row"
    if len(unread) <= 0.05 * len(cells):
        assert (got.kind, got.skip_reason) == (DATE, None)
        assert got.warnings == (
            f"column 'last_activity': {len(unread)} of {len(cells)} values are not dates ({shown}); "
            f"fit skips them; {hint}",
        )
    else:
        assert (got.kind, got.skip_reason) == (None, f"dates not read: {hint}")
        assert got.warnings == (
            f"column 'last_activity': {len(unread)} of {len(cells)} values are not dates ({shown}), "
            f"so fit did not read it as dates; {hint}",
        )
    dayfirst = profile_columns(
        pl.DataFrame({"last_activity": cells}),
        ["last_activity"],
        as_of=AS_OF,
        conventions=Conventions(dayfirst=True),
    )[0]
    assert (dayfirst.kind, dayfirst.warnings) == (DATE, ())


def test_dates_after_the_as_of_date_are_warned_about_with_their_count() -> None:
    days = [AS_OF - dt.timedelta(days=d) for d in range(-20, 100, 3)]
    cells = pl.DataFrame({"created_at": [d.isoformat() for d in days]})
    got = profile_columns(cells, ["created_at"], as_of=AS_OF)[0]
    later = [d for d in days if d > AS_OF]
    assert got.kind == DATE
    assert got.warnings == (
        f"column 'created_at': {len(later)} of {len(days)} dates are after the as-of date {AS_OF.isoformat()} "
        f"(the latest {max(later).isoformat()}); fit counts them as dated {AS_OF.isoformat()}; if the file "
        "is newer, give --as-of the day it was exported",
    )
    earlier = profile_columns(cells, ["created_at"], as_of=max(days))[0]
    assert earlier.warnings == ()
