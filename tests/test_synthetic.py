"""The synthetic data generator: deterministic, shaped like the docs say, messy where it should be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from leadscore import UsageError, default_model, score
from leadscore.sample_files import write_sample_data
from leadscore.synthetic import (
    AS_OF,
    EVENT_TYPES,
    LEAD_COLUMNS,
    generate_adjustments,
    generate_events,
    generate_history,
    generate_history_events,
    generate_leads,
)

SAMPLE_DATA = Path(__file__).parent.parent / "sample_data"
PLACEHOLDERS = ["N/A", "Select", "-"]
TEXT_COLUMNS = ["job_title", "industry", "country"]
COUNT_COLUMNS = ["website_visits", "email_clicks", "content_downloads", "pricing_page_views"]


@pytest.fixture(scope="module")
def messy() -> pl.DataFrame:
    return generate_leads(3_000)


@pytest.fixture(scope="module")
def clean() -> pl.DataFrame:
    return generate_leads(3_000, messy=False)


@pytest.fixture(scope="module")
def events(messy: pl.DataFrame) -> pl.DataFrame:
    return generate_events(messy, 20_000)


@pytest.fixture(scope="module")
def history() -> pl.DataFrame:
    return generate_history(30_000)


def parse_timestamps(text: pl.Expr) -> pl.Expr:
    """The three documented forms, all to UTC; anything else stays null."""
    return pl.coalesce(
        text.str.to_datetime("%Y-%m-%dT%H:%M:%SZ", strict=False, time_zone="UTC"),
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", strict=False, time_zone="UTC"),
        text.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False).dt.replace_time_zone("UTC"),
    )


def share(values: pl.Series) -> float:
    """The mean of a boolean or numeric series, as a float."""
    mean = values.cast(pl.Float64).mean()
    assert isinstance(mean, float)
    return mean


def company_size_number(frame: pl.DataFrame) -> pl.Series:
    return frame["company_size"].cast(pl.String).str.replace_all(",", "").cast(pl.Int64, strict=False)


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize(
    "make",
    [
        lambda seed: generate_leads(500, seed),
        lambda seed: generate_leads(500, seed, messy=False),
        lambda seed: generate_events(generate_leads(100), 2_000, seed),
        lambda seed: generate_history(500, seed),
        lambda seed: generate_history_events(300, seed),
        lambda seed: generate_adjustments(generate_leads(100), 12, seed),
    ],
    ids=["leads", "clean leads", "events", "history", "history events", "adjustments"],
)
def test_same_seed_same_frame_and_other_seed_other_frame(make: Callable[[int], pl.DataFrame]) -> None:
    assert_frame_equal(make(3), make(3))
    assert not make(3).equals(make(4))


def test_committed_sample_data_is_what_the_generator_writes(tmp_path: Path) -> None:
    rows = write_sample_data(tmp_path)
    assert rows.pop("history_activity.csv") > 5_000
    assert rows == {"leads.csv": 405, "activity.csv": 6_000, "history.csv": 5_000, "adjustments.csv": 12}
    for name in [*rows, "history_activity.csv", "README.md"]:
        assert (tmp_path / name).read_bytes() == (SAMPLE_DATA / name).read_bytes(), (
            f"sample_data/{name} is out of date: run  uv run python -m leadscore.synthetic sample_data"
        )


def test_sample_leads_file_has_duplicate_and_blank_ids() -> None:
    leads = pl.read_csv(SAMPLE_DATA / "leads.csv", infer_schema=False)
    ids = leads["lead_id"]
    assert ids.null_count() == 2
    assert ids.drop_nulls().is_duplicated().sum() == 6  # three ids, twice each
    assert leads.columns == list(LEAD_COLUMNS)


# ------------------------------------------------------------------ leads


@pytest.mark.parametrize("messy_mode", [True, False])
def test_lead_columns_are_the_documented_ones_in_order(messy_mode: bool) -> None:
    assert generate_leads(20, messy=messy_mode).columns == list(LEAD_COLUMNS)


def test_lead_ids_are_unique_and_zero_padded(messy: pl.DataFrame) -> None:
    assert messy["lead_id"].is_unique().all()
    assert messy["lead_id"][:2].to_list() == ["L0001", "L0002"]
    assert generate_leads(3, start_id=99_999)["lead_id"].to_list() == ["L099999", "L100000", "L100001"]
    assert generate_leads(12_000)["lead_id"][-1] == "L12000"


def test_clean_leads_have_no_placeholders_and_proper_types(clean: pl.DataFrame) -> None:
    for column in [*TEXT_COLUMNS, "company_size", *COUNT_COLUMNS]:
        assert clean[column].null_count() == 0, column
    for column in TEXT_COLUMNS:
        values = clean[column]
        assert not values.is_in(PLACEHOLDERS).any(), column
        assert (values == values.str.strip_chars()).all(), column
    assert clean.select([*COUNT_COLUMNS, "company_size"]).dtypes == [pl.Int64] * 5
    assert clean["company_size"].is_between(1, 100_000).all()
    for column in ["webinar_attended", "demo_requested", "unsubscribed"]:
        assert set(clean[column].unique()) <= {"yes", "no"}, column


def test_messy_leads_have_a_few_percent_of_each_kind_of_mess(messy: pl.DataFrame) -> None:
    for column in ["job_title", "industry"]:
        values = messy[column]
        assert 0.01 < share(values.is_in(PLACEHOLDERS)) < 0.08, column
        assert 0.01 < share(values.is_null()) < 0.08, column
        assert 0.01 < share(values != values.str.strip_chars()) < 0.10, column
        assert values.str.contains(r"^[A-Z &-]{8,}$").any(), column  # "SOFTWARE", "MARKETING MANAGER"
    assert messy["country"].null_count() > 0
    size = messy["company_size"]
    assert size.dtype == pl.String
    assert size.str.contains(r"^\d{1,3},\d{3}$").sum() > 10
    assert size.null_count() > 0
    assert set(messy["demo_requested"].unique()) >= {"yes", "no", "Yes", "TRUE", "y", "1"}
    for column in COUNT_COLUMNS:
        assert messy[column].dtype == pl.Int64
        assert 0 < messy[column].null_count() < 0.05 * messy.height, column


def test_messy_leads_are_the_clean_ones_with_some_cells_spoiled(
    messy: pl.DataFrame, clean: pl.DataFrame
) -> None:
    for column in TEXT_COLUMNS:
        dirty, tidy = messy[column], clean[column]
        same_text = dirty.str.strip_chars().str.to_lowercase() == tidy.str.to_lowercase()
        explained = dirty.is_null() | dirty.is_in(PLACEHOLDERS) | same_text.fill_null(False)
        assert explained.all(), column
        assert 0.03 < share(dirty.ne_missing(tidy)) < 0.15, column
    size = company_size_number(messy)
    assert (size.is_null() | (size == clean["company_size"])).all()
    for column in COUNT_COLUMNS:
        assert (messy[column].is_null() | (messy[column] == clean[column])).all(), column
    demo = messy["demo_requested"].str.to_lowercase().is_in(["yes", "true", "y", "1"])
    assert demo.equals(clean["demo_requested"] == "yes", check_names=False)
    unchanged = [
        c for c in LEAD_COLUMNS if c not in {*TEXT_COLUMNS, *COUNT_COLUMNS, "company_size", "demo_requested"}
    ]
    assert_frame_equal(messy.select(unchanged), clean.select(unchanged))


def test_names_emails_and_owners_look_like_a_real_crm(clean: pl.DataFrame) -> None:
    names = set(clean["first_name"]) | set(clean["last_name"])
    assert {"José", "Núñez", "Conceição", "Françoise", "Müller"} <= names
    email = clean["email"]
    assert email.str.contains(r"^[a-z0-9.]+@[a-z0-9.\-]+$").all()
    assert 0.10 < share(email.str.contains(r"@(gmail|yahoo|hotmail|outlook)\.com$")) < 0.20
    owned = clean["owner"].drop_nulls()
    assert 0.05 < owned.len() / clean.height < 0.15
    assert owned.str.ends_with("@acme.test").all()


def test_dates_are_iso_recent_and_created_before_last_activity(clean: pl.DataFrame) -> None:
    last = clean["last_activity"].str.to_date("%Y-%m-%d")
    created = clean["created_at"].str.to_date("%Y-%m-%d")
    assert (created < last).all()
    assert (last <= AS_OF).all()
    assert (last >= AS_OF - dt.timedelta(days=400)).all()
    assert (last >= AS_OF - dt.timedelta(days=7)).sum() > 30


def test_engaged_leads_are_more_often_executives(clean: pl.DataFrame) -> None:
    executive = clean["job_title"].str.contains(r"^(CEO|Chief|VP|Director|Head of|Founder)")
    engaged = clean.select(pl.sum_horizontal(COUNT_COLUMNS)).to_series()
    assert share(engaged.filter(executive)) > 1.2 * share(engaged.filter(~executive))


def test_the_default_model_gives_a_spread_of_tiers(messy: pl.DataFrame) -> None:
    tiers = score(messy, default_model(), as_of=AS_OF).frame["tier"].value_counts(normalize=True)
    share = dict(zip(tiers["tier"], tiers["proportion"], strict=True))
    assert 0.03 < share["hot"] < 0.35
    assert share["warm"] > 0.10
    assert share["cold"] > 0.25


def test_large_frames_generate() -> None:
    leads = generate_leads(200_000)
    assert leads.height == 200_000
    assert leads["lead_id"].is_unique().all()


def test_negative_counts_are_a_usage_error() -> None:
    with pytest.raises(UsageError, match="n must be 0 or more"):
        generate_leads(-1)
    with pytest.raises(UsageError, match="n_events must be 0 or more"):
        generate_events(generate_leads(2), -5)


def test_zero_rows_keep_the_columns() -> None:
    assert generate_leads(0).columns == list(LEAD_COLUMNS)
    assert generate_events(generate_leads(0), 0).columns == ["lead_id", "event", "timestamp", "url"]


# ------------------------------------------------------------------ events


def test_event_types_and_urls(events: pl.DataFrame) -> None:
    assert events.columns == ["lead_id", "event", "timestamp", "url"]
    assert set(events["event"].unique()) == {name for name, _ in EVENT_TYPES}
    shares = events["event"].value_counts(sort=True)["event"].to_list()
    assert shares[:2] == ["page_view", "email_open"]
    is_page = events["event"].is_in(["page_view", "pricing_page_view"])
    assert events.filter(is_page)["url"].str.starts_with("/").all()
    assert events.filter(~is_page)["url"].null_count() == (~is_page).sum()
    pricing = events.filter(pl.col("event") == "pricing_page_view")["url"]
    assert pricing.str.starts_with("/pricing").all()


def test_event_timestamps_mix_forms_and_include_a_few_future_ones(events: pl.DataFrame) -> None:
    text = events["timestamp"]
    assert text.str.ends_with("Z").any()
    assert text.str.contains(r"[+-]\d\d:\d\d$").any()
    assert text.str.contains(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$").any()
    when = events.select(parse_timestamps(pl.col("timestamp"))).to_series()
    assert when.null_count() == 0
    end_of_as_of = dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    future = (when > end_of_as_of).sum() / events.height
    assert 0.002 < future < 0.01
    assert (when > end_of_as_of - dt.timedelta(days=366)).all()
    assert when.is_sorted()


def test_about_one_percent_of_events_match_no_lead(messy: pl.DataFrame, events: pl.DataFrame) -> None:
    unmatched = ~events["lead_id"].is_in(messy["lead_id"].implode())
    assert 0.005 < share(unmatched) < 0.02
    assert events.filter(unmatched)["lead_id"].str.starts_with("L9").all()


def test_busier_leads_get_more_events(messy: pl.DataFrame, events: pl.DataFrame) -> None:
    per_lead = events.group_by("lead_id").len()
    joined = messy.join(per_lead, on="lead_id", how="left").with_columns(pl.col("len").fill_null(0))
    busy = joined["website_visits"].fill_null(0) >= 5
    assert share(joined.filter(busy)["len"]) > 2 * share(joined.filter(~busy)["len"])


# ------------------------------------------------------------------ history


def test_history_has_the_lead_columns_and_a_sane_outcome(history: pl.DataFrame) -> None:
    assert history.columns == [*LEAD_COLUMNS, "converted", "closed_at"]
    outcome = history["converted"]
    assert 0.01 < outcome.null_count() / history.height < 0.03
    assert 0.10 <= share(outcome.drop_nulls() == "yes") <= 0.15
    closed = history.filter(pl.col("closed_at").is_not_null())
    assert (closed["closed_at"].str.to_date() >= closed["created_at"].str.to_date()).all()
    assert history.filter(pl.col("converted") == "yes")["closed_at"].null_count() == 0


def test_conversion_peaks_for_mid_size_companies(history: pl.DataFrame) -> None:
    size = company_size_number(history)
    won = history["converted"] == "yes"
    known = history["converted"].is_not_null() & size.is_not_null()

    def rate(band: pl.Series) -> float:
        return share(won.filter(known & band))

    middle = rate(size.is_between(200, 2000))
    assert middle > 1.5 * rate(size < 20)
    assert middle > 1.5 * rate(size > 20_000)


def test_outcome_follows_the_documented_signals(history: pl.DataFrame) -> None:
    won = (history["converted"] == "yes").fill_null(False)

    def rate(mask: pl.Series) -> float:
        return share(won.filter(mask.fill_null(False)))

    demo = history["demo_requested"].str.to_lowercase().is_in(["yes", "true", "y", "1"])
    assert rate(demo) > 2 * rate(~demo)
    student = (
        history["job_title"].str.strip_chars().str.to_lowercase().is_in(["student", "retired", "intern"])
    )
    assert rate(student) < 0.5 * rate(~student)
    personal = history["email"].str.contains("@(gmail|yahoo|hotmail|outlook)")
    assert rate(personal) < rate(~personal)


# ------------------------------------------------------------------ adjustments


def test_adjustments(messy: pl.DataFrame) -> None:
    adjustments = generate_adjustments(messy, 12)
    assert adjustments.columns == ["lead_id", "points", "reason", "by", "expires"]
    assert adjustments.height == 12
    assert adjustments["points"].dtype == pl.Int64
    assert (~adjustments["lead_id"].is_in(messy["lead_id"].implode())).sum() == 2
    expires = adjustments["expires"].str.to_date("%Y-%m-%d")
    assert expires.null_count() > 0
    assert (expires < AS_OF).any()
    assert (expires > AS_OF).any()


def test_history_events_fall_before_the_close_except_a_customers_own_visits() -> None:
    history = generate_history(400)
    log = generate_history_events(400).join(history.select("lead_id", "converted", "closed_at"), on="lead_id")
    assert log.height == generate_history_events(400).height  # every event is of a history lead
    after = log.filter(
        pl.col("closed_at").is_not_null() & (pl.col("timestamp").str.slice(0, 10) > pl.col("closed_at"))
    )
    assert after.height > 0
    assert set(after["converted"]) == {"yes"}
    assert set(after["event"]) == {"page_view", "email_open"}
    # each demo request of the history is one demo_request event
    demos = log.filter(pl.col("event") == "demo_request")["lead_id"].sort().to_list()
    assert (
        demos
        == history.filter(pl.col("demo_requested").is_in(["Yes", "TRUE", "y", "1", "yes"]))["lead_id"]
        .sort()
        .to_list()
    )
