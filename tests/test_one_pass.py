"""score_file in one pass: the ranked file, the report's counts and every check, from one query."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from leadscore import InputError, default_model, parse_model, score, score_file
from leadscore.counts import counts_of
from leadscore.engine import BEST_FIRST, best_first, rank_keys
from leadscore.errors import WarningsAsErrors
from leadscore.io import read_table, write_table
from leadscore.synthetic import generate_leads
from tests.test_properties import SCHEMA, models
from tests.test_properties import leads as lead_rows

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def leads(in_tmp: Path) -> Path:
    path = in_tmp / "leads.csv"
    generate_leads(3_000, seed=11).write_csv(path)
    return path


def library_bytes(path: Path) -> bytes:
    frame = pl.read_csv(path, infer_schema=False)
    return score(frame, default_model(), as_of=AS_OF).ranked.write_csv().encode()


def test_the_file_is_the_one_the_library_scores(leads: Path) -> None:
    result = score_file([leads], output="ranked.csv", as_of=AS_OF)
    assert result.frame is None  # streamed to the file
    assert Path("ranked.csv").read_bytes() == library_bytes(leads)
    assert result.rows == result.rows_written == 3_000


def test_the_counts_equal_those_of_the_ranked_frame(leads: Path) -> None:
    streamed = score_file([leads], output="ranked.csv", as_of=AS_OF, top=7).counts
    frame = pl.read_csv(leads, infer_schema=False)
    expected = counts_of(score(frame, default_model(), as_of=AS_OF).ranked)
    assert (streamed.rows, streamed.tiers, streamed.grades, streamed.qualified) == (
        expected.rows, expected.tiers, expected.grades, expected.qualified,
    )  # fmt: skip
    assert_frame_equal(streamed.by_score, expected.by_score)
    assert_frame_equal(streamed.top, expected.top.head(7))
    scores = expected.top["score"]
    assert (streamed.median, streamed.lowest, streamed.highest) == (
        scores.median(),
        scores.min(),
        scores.max(),
    )


@pytest.mark.parametrize(
    ("slice_size", "window_bytes", "streaming"),
    [(1, 1, False), (7, 1, False), (2_999, 1, False), (3_000, 1, False),
     (7, 20_000, True), (100, 50_000, True), (2_999, 100_000, True), (3_000, 2**30, True)],
)  # fmt: skip
def test_the_file_is_written_a_slice_at_a_time_in_rank_order(
    leads: Path, slice_size: int, window_bytes: int, streaming: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # streaming reads the leads' text back a window of ranks at a time (from some 40 windows to one)
    from leadscore import ranked_csv

    monkeypatch.setattr(ranked_csv, "SLICE", slice_size)
    monkeypatch.setattr(ranked_csv, "WINDOW_BYTES", window_bytes)
    result = score_file([leads], output="ranked.csv", as_of=AS_OF, top=3, streaming=streaming)
    assert Path("ranked.csv").read_bytes() == library_bytes(leads)
    assert sorted(p.name for p in Path().iterdir()) == ["leads.csv", "ranked.csv"]  # nothing left over
    frame = pl.read_csv(leads, infer_schema=False)
    assert_frame_equal(result.counts.top, score(frame, default_model(), as_of=AS_OF).ranked.head(3))


@given(
    scores=st.lists(st.sampled_from([None, 0.0, -0.0, 1.5, 2.0, -3.0, 1e9]), max_size=40),
    ids=st.lists(st.sampled_from([None, "", "a", "b", "L1", "L10", "L2"]), max_size=40),
)
def test_best_first_is_the_order_of_the_ranking_sort(
    scores: list[float | None], ids: list[str | None]
) -> None:
    # one stable sort a key against Polars' sort over both keys (ties: the order of the file)
    n = min(len(scores), len(ids))
    frame = pl.DataFrame(
        {"score": scores[:n], "lead_id": ids[:n]}, schema={"score": pl.Float64, "lead_id": pl.String}
    )
    model = default_model()
    expected = frame.with_row_index("at").sort(rank_keys(model), **BEST_FIRST)["at"]
    assert best_first(frame, model).to_list() == expected.to_list()


def test_windows_are_cut_where_the_text_adds_up_past_4_gb(monkeypatch: pytest.MonkeyPatch) -> None:
    from leadscore import ranked_csv

    monkeypatch.setattr(ranked_csv, "WINDOW_BYTES", 3 * 2**30)
    # five leads of 2 GB of text each (the lengths are 32-bit: their sum is not), best last
    keys = pl.DataFrame(
        {"score": [1.0, 2.0, 3.0, 4.0, 5.0], "lead_id": list("abcde"), ranked_csv._BYTES: [2**31] * 5},
        schema_overrides={ranked_csv._BYTES: pl.UInt32},
    )
    packed = ranked_csv.PackedLeads(keys, None, default_model(), spilled=Path("unused"))  # type: ignore[arg-type]
    # running totals 2, 4, 6, 8, 10 GB: a window ends before the total passes 3, 6 and 9 GB
    assert packed.windows() == [(0, 1), (1, 3), (3, 4), (4, 5)]


@pytest.mark.parametrize("streaming", [False, True])
def test_ids_are_checked_in_the_order_of_the_file(leads: Path, streaming: bool) -> None:
    frame = pl.read_csv(leads, infer_schema=False)
    blank = pl.int_range(pl.len()).is_in([4, 2_998])  # data rows 5 and 2999
    frame.with_columns(pl.when(blank).then(pl.lit(" ")).otherwise("lead_id").alias("lead_id")).write_csv(
        leads
    )
    result = score_file([leads], output="ranked.csv", as_of=AS_OF, streaming=streaming)
    assert result.ids is not None
    assert (result.ids.blank, result.ids.blank_rows) == (2, (5, 2_999))


def test_other_formats_are_collected_and_written_as_before(leads: Path) -> None:
    result = score_file([leads], output="ranked.parquet", as_of=AS_OF)
    assert result.frame is not None
    assert_frame_equal(pl.read_parquet("ranked.parquet"), result.frame)


def test_a_bad_row_past_the_head_of_the_file_is_found(in_tmp: Path, leads: Path) -> None:
    # the row is far past the part of the file read to sniff it: only the query runs into it
    with leads.open("a", encoding="utf-8") as handle:
        handle.write("L9999,too,many,fields" + ",x" * 30 + "\n")
    (in_tmp / "ranked.csv").write_text("last night\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"leads.csv line 3002 has 34 fields, the header has 20"):
        score_file([leads], output="ranked.csv", as_of=AS_OF)
    assert (in_tmp / "ranked.csv").read_text(encoding="utf-8") == "last night\n"
    assert list(in_tmp.glob(".ranked*")) == []


def test_bytes_that_are_not_utf8_past_the_head_send_the_file_to_the_slow_reader(leads: Path) -> None:
    with leads.open("ab") as handle:
        handle.write(b"L9999,Jos\xe9,N\xfa\xf1ez,,,,,,,,,,,,,,,,,\n")
    result = score_file([leads], output="ranked.csv", as_of=AS_OF)
    assert any("(not UTF-8)" in n for n in result.notices)
    assert result.rows == 3_001
    assert "José" in Path("ranked.csv").read_text(encoding="utf-8")


def test_failing_on_warnings_leaves_the_old_file(in_tmp: Path, leads: Path) -> None:
    frame = pl.read_csv(leads, infer_schema=False)
    pl.concat([frame, frame.head(2)]).write_csv(leads)  # two repeated ids: a warning
    (in_tmp / "ranked.csv").write_text("last night\n", encoding="utf-8")
    with pytest.raises(WarningsAsErrors):
        score_file([leads], output="ranked.csv", as_of=AS_OF, fail_on_warnings=True)
    assert (in_tmp / "ranked.csv").read_text(encoding="utf-8") == "last night\n"
    result = score_file([leads], output="ranked.csv", as_of=AS_OF)
    assert result.ids is not None and result.ids.duplicate_ids == 2
    assert any("repeated" in w for w in result.warnings)


def test_an_unreadable_column_leaves_the_old_file(in_tmp: Path, leads: Path) -> None:
    frame = pl.read_csv(leads, infer_schema=False).with_columns(pl.lit("soon").alias("last_activity"))
    frame.write_csv(leads)
    (in_tmp / "ranked.csv").write_text("last night\n", encoding="utf-8")
    with pytest.raises(InputError, match="last_activity"):
        score_file([leads], output="ranked.csv", as_of=AS_OF)
    assert (in_tmp / "ranked.csv").read_text(encoding="utf-8") == "last night\n"


def test_a_header_without_rows_is_refused(in_tmp: Path) -> None:
    (in_tmp / "leads.csv").write_text(",".join(generate_leads(1).columns) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="has a header but no rows"):
        score_file(["leads.csv"], output="ranked.csv", as_of=AS_OF)
    assert not (in_tmp / "ranked.csv").exists()


def test_the_report_lists_as_many_leads_as_top_asks(leads: Path) -> None:
    from typer.testing import CliRunner

    from leadscore.cli import app

    done = CliRunner().invoke(
        app, ["score", str(leads), "-o", "ranked.csv", "--as-of", "2026-11-01", "--top", "25"]
    )
    assert done.exit_code == 0, done.stderr
    assert "Top 25 leads" in done.stdout


def test_streaming_gives_polars_a_memory_budget(leads: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from leadscore.cli import app

    monkeypatch.setenv("POLARS_OOC_MEMORY_BUDGET_MB", "")
    monkeypatch.delenv("POLARS_OOC_MEMORY_BUDGET_MB")
    done = CliRunner().invoke(
        app, ["score", str(leads), "-o", "ranked.csv", "--as-of", "2026-11-01", "--streaming"]
    )
    assert done.exit_code == 0, done.stderr
    assert os.environ["POLARS_OOC_MEMORY_BUDGET_MB"] == "2000"
    assert Path("ranked.csv").read_bytes() == library_bytes(leads)


@pytest.mark.parametrize(
    ("flag", "bounded"), [([], True), (["--streaming"], True), (["--no-streaming"], False)]
)
def test_a_big_input_is_streamed_unless_told_not_to(
    leads: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str], bounded: bool
) -> None:
    from typer.testing import CliRunner

    from leadscore.cli import app
    from leadscore.cli import score as score_command

    monkeypatch.setattr(score_command, "STREAMING_ABOVE_GB", 0)  # every input is big
    monkeypatch.setenv("POLARS_OOC_MEMORY_BUDGET_MB", "")
    monkeypatch.delenv("POLARS_OOC_MEMORY_BUDGET_MB")
    done = CliRunner().invoke(app, ["score", str(leads), "-o", "ranked.csv", "--as-of", "2026-11-01", *flag])
    assert done.exit_code == 0, done.stderr
    assert ("POLARS_OOC_MEMORY_BUDGET_MB" in os.environ) == bounded
    assert Path("ranked.csv").read_bytes() == library_bytes(leads)


def test_a_run_that_spills_writes_the_same_file(in_tmp: Path, leads: Path) -> None:
    # Leads with a typed date are sorted by Polars' streaming engine (not as CSV text); a budget
    # of 1 MB makes it spill to disk, the sort among others.
    frame = read_table([leads]).frame.collect().with_columns(pl.col("created_at").str.to_date(strict=False))
    frame.write_parquet("leads.parquet")
    command = [sys.executable, "-c", "from leadscore.cli import main; main()", "score", "leads.parquet",
               "-o", "spilled.csv", "--as-of", "2026-11-01", "--quiet", "--streaming"]  # fmt: skip
    env = {**os.environ, "POLARS_OOC_MEMORY_BUDGET_MB": "1", "POLARS_OOC_LOG_METRICS": "1"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    spills = re.findall(r"spill_stats\(sort[^)]*\).*? spill\(succ=[^,]*, n=(\d+)\)", done.stderr)
    assert sum(int(n) for n in spills) > 0, done.stderr
    write_table(score(frame, default_model(), as_of=AS_OF).ranked, in_tmp / "library.csv")
    assert Path("spilled.csv").read_bytes() == (in_tmp / "library.csv").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=models(),
    rows=lead_rows(),
    suffix=st.sampled_from([".csv", ".parquet"]),
    safe=st.booleans(),
    reasons=st.booleans(),
    repeated=st.booleans(),
    streaming=st.booleans(),
    separator=st.sampled_from([",", ";"]),
)
def test_the_ranked_file_is_written_as_the_library_writes_it(
    tmp_path_factory: pytest.TempPathFactory,
    spec: dict[str, object],
    rows: list[dict[str, object]],
    suffix: str,
    safe: bool,
    reasons: bool,
    repeated: bool,
    streaming: bool,
    separator: str,
) -> None:
    # Random models and messy cells, read from text (CSV) or typed (Parquet) columns, with
    # repeated ids (ties then keep the input order), formulas to defuse, no reasons column, and
    # ';'-separated output (numbers with a decimal comma).
    folder = tmp_path_factory.mktemp("one_pass")
    assume(rows)
    if repeated:
        rows = [{**r, "lead_id": "L000"} if i % 3 == 0 else r for i, r in enumerate(rows)]
    frame = pl.DataFrame(rows, schema=SCHEMA)
    source = folder / f"leads{suffix}"
    frame.write_csv(source) if suffix == ".csv" else frame.write_parquet(source)
    read = read_table([source]).frame.collect()  # as score_file reads it
    model = parse_model(spec)
    try:
        expected = score(read, model, as_of=AS_OF, reasons=reasons).ranked
    except InputError:
        assume(False)
    write_table(expected, folder / "library.csv", safe_csv=safe, separator=separator)
    score_file(
        [source], model, output=folder / "ranked.csv", as_of=AS_OF, safe_csv=safe, reasons=reasons,
        streaming=streaming, separator=separator,
    )  # fmt: skip
    assert (folder / "ranked.csv").read_bytes() == (folder / "library.csv").read_bytes()


@pytest.mark.parametrize("separator", [",", ";"])
def test_date_columns_take_the_column_sort_and_give_the_same_bytes(
    in_tmp: Path, leads: Path, separator: str
) -> None:
    # a typed date column cannot be sorted as CSV text: the run sorts columns, with the same result
    frame = (
        read_table([leads])
        .frame.collect()
        .with_columns(pl.col("created_at").str.to_date(strict=False).alias("created_at"))
    )
    assert frame.schema["created_at"] == pl.Date
    frame.write_parquet("leads.parquet")
    result = score_file(["leads.parquet"], output="ranked.csv", as_of=AS_OF, separator=separator)
    ranked = score(frame, default_model(), as_of=AS_OF).ranked
    write_table(ranked, in_tmp / "library.csv", separator=separator)
    assert Path("ranked.csv").read_bytes() == (in_tmp / "library.csv").read_bytes()
    assert_frame_equal(result.counts.top.drop("created_at"), ranked.head(10).drop("created_at"))
    assert result.counts.top["created_at"].to_list()[:3] == [
        str(d) if d is not None else None
        for d in score(frame, default_model(), as_of=AS_OF).ranked["created_at"].to_list()[:3]
    ]


def test_streaming_writes_the_file_in_a_pass_of_its_own_with_the_same_result(leads: Path) -> None:
    one = score_file([leads], output="one.csv", as_of=AS_OF, top=5)
    two = score_file([leads], output="two.csv", as_of=AS_OF, top=5, streaming=True)
    assert Path("two.csv").read_bytes() == Path("one.csv").read_bytes() == library_bytes(leads)
    assert (two.rows, two.counts.tiers, two.counts.grades, two.counts.qualified) == (
        one.rows, one.counts.tiers, one.counts.grades, one.counts.qualified,
    )  # fmt: skip
    assert_frame_equal(two.counts.top, one.counts.top)
    assert_frame_equal(two.rule_stats, one.rule_stats)
    assert two.ids == one.ids


def test_streaming_still_refuses_an_unreadable_column(in_tmp: Path, leads: Path) -> None:
    frame = pl.read_csv(leads, infer_schema=False).with_columns(pl.lit("soon").alias("last_activity"))
    frame.write_csv(leads)
    with pytest.raises(InputError, match="last_activity"):
        score_file([leads], output="ranked.csv", as_of=AS_OF, streaming=True)
    assert sorted(p.name for p in in_tmp.iterdir()) == ["leads.csv"]  # no output, no scratch file


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-20, 120)), max_size=40))
def test_the_summary_statistics_are_those_of_the_scored_leads(scores: list[int | None]) -> None:
    """Leads a segments model leaves unscored (most of them, even) count as leads, not scores."""
    counts = counts_of(pl.DataFrame({"score": scores}, schema={"score": pl.Int64}))
    given_scores = pl.Series([s for s in scores if s is not None], dtype=pl.Int64)
    assert (counts.rows, counts.scored) == (len(scores), given_scores.len())
    if given_scores.is_empty():
        assert (counts.median, counts.lowest, counts.highest) == (None, None, None)
    else:
        assert (counts.median, counts.lowest, counts.highest) == (
            given_scores.median(), given_scores.min(), given_scores.max(),
        )  # fmt: skip
