"""One reading of an outcome column: `report`, `fit` and `evaluate` count the same conversions."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadscore import InputError, outcomes
from leadscore.cli import app
from leadscore.predictive.outcome import read_outcome
from leadscore.sources import source_tables
from tests.predictive_data import AS_OF, history

NULLS = ("", "N/A", "Select")
WON = {"yes", "y", "true", "1", "1.0", "1.00", "won", "closed won", "converted", "customer", "ja", "oui"}
LOST = {
    "no",
    "n",
    "false",
    "0",
    "0.0",
    "0.00",
    "lost",
    "closed lost",
    "not converted",
    "disqualified",
    "nein",
    "non",
}
OPEN = {"open", "pending", "in progress", "working", "new"}
OTHER = {"maybe", "signed", "negotiation", "qualified", "1.000", "2.0"}


def reference(cell: str | None, positive: str | None) -> str | None:
    """The status by hand: won, lost, open, or None for a value that is not an outcome."""
    word = (cell or "").strip().lower()
    if positive is not None and word == positive.strip().lower():
        return "won"
    if word in {n.lower() for n in NULLS} or word in OPEN:
        return "open"
    if positive is not None:
        return "lost"
    return "won" if word in WON else "lost" if word in LOST else None


def spelt(word: str) -> st.SearchStrategy[str]:
    """A word as people type it: any case, stray spaces."""
    return st.sampled_from([word, word.upper(), word.title(), f" {word} ", word.capitalize()])


cells = st.one_of(st.none(), st.sampled_from(sorted(WON | LOST | OPEN | OTHER | set(NULLS))).flatmap(spelt))


@given(st.lists(cells, max_size=25), st.sampled_from([None, "signed", "Closed Won", " maybe "]))
def test_status_matches_the_reading_by_hand(values: list[str | None], positive: str | None) -> None:
    column = pl.Series("stage", values, dtype=pl.String)
    got = pl.select(outcomes.status(pl.lit(column), pl.String, NULLS, positive=positive)).to_series()
    assert got.to_list() == [reference(v, positive) for v in values]


@given(st.lists(cells, min_size=1, max_size=25), st.sampled_from([None, "signed", "Closed Won"]))
def test_report_and_evaluate_count_the_same_conversions(
    values: list[str | None], positive: str | None
) -> None:
    frame = pl.DataFrame(
        {"score": list(range(len(values))), "lead_source": ["x"] * len(values), "stage": values},
        schema={"score": pl.Int64, "lead_source": pl.String, "stage": pl.String},
    )
    statuses = [reference(v, positive) for v in values]
    if positive is None and None in statuses:  # evaluate asks for --positive; report counts them as open
        with pytest.raises(InputError, match="--positive VALUE"):
            read_outcome(frame, "stage", null_values=NULLS)
        return
    if positive is not None and "won" not in statuses:
        with pytest.raises(InputError, match=f"no lead in .* has '{positive}'"):
            read_outcome(frame, "stage", positive=positive, null_values=NULLS)
        with pytest.raises(InputError, match=f"no lead in .* has '{positive}'"):
            source_tables(frame, ["lead_source"], target="stage", positive=positive, null_values=NULLS)
        return
    outcome = read_outcome(frame, "stage", positive=positive, null_values=NULLS)
    (table,), _ = source_tables(frame, ["lead_source"], target="stage", positive=positive, null_values=NULLS)
    known = sum(s in ("won", "lost") for s in statuses)
    assert (outcome.positives, outcome.known) == (statuses.count("won"), known)
    assert table.totals["conversions"] == outcome.positives
    if known:
        assert table.totals["conversion_rate"] == round(outcome.rate, 4)


def test_numbers_and_booleans_read_as_outcomes() -> None:
    frame = pl.DataFrame({"n": [1, 0, None], "f": [1.0, 0.0, None], "b": [True, False, None]})
    for column in frame.columns:
        assert read_outcome(frame, column).values.to_list() == [True, False, None]


def test_an_outcome_written_1_0_and_0_0_reads_as_1_and_0(tmp_path: Path) -> None:
    """pandas writes a 0/1 column that has blanks as 1.0, 0.0 and empty: report, fit and evaluate
    read it as they read 1 and 0."""
    frame = history(300).with_columns(pl.col("converted").replace_strict({"yes": 1, "no": 0}, default=None))
    counts: dict[str, tuple[object, ...]] = {}
    for kind, written in (("int", pl.Int64), ("float", pl.Float64)):
        leads = tmp_path / f"{kind}.csv"
        frame.with_columns(pl.col("converted").cast(written)).write_csv(leads)
        evaluation = invoke(
            "evaluate", str(leads), "--target", "converted", "--json", "--as-of", AS_OF.isoformat()
        )
        invoke("fit", str(leads), "--target", "converted", "-o", str(tmp_path / f"{kind}.toml"), "--quiet",
               "--as-of", AS_OF.isoformat())  # fmt: skip
        scored, by = tmp_path / f"{kind}.scored.csv", tmp_path / f"{kind}.by.json"
        invoke("score", str(leads), "-o", str(scored), "--as-of", AS_OF.isoformat(), "-q")
        invoke(
            "report", str(scored), "--by", "lead_source", "--target", "converted", "-o", str(by), "--quiet"
        )
        rows = json.loads(by.read_text(encoding="utf-8"))
        counts[kind] = (evaluation["converted"], evaluation["auc"], sum(r["conversions"] for r in rows))
    assert "1.0" in (tmp_path / "float.csv").read_text(encoding="utf-8")
    assert counts["float"] == counts["int"]
    learnt = {kind: (tmp_path / f"{kind}.toml").read_text(encoding="utf-8") for kind in ("int", "float")}
    assert learnt["float"].replace("float.csv", "int.csv") == learnt["int"]


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CRM history whose outcome is a stage column: Closed Won, Closed Lost, and still Open."""
    folder = tmp_path_factory.mktemp("stages")
    frame = history(600).with_row_index("i")
    stage = (
        pl.when(pl.col("i") % 7 == 0)
        .then(pl.lit("Open"))
        .when(pl.col("converted") == "yes")
        .then(pl.lit("Closed Won"))
        .when(pl.col("converted") == "no")
        .then(pl.lit("Closed Lost"))
    )
    frame.with_columns(stage.alias("stage")).drop("i", "converted").write_csv(folder / "history.csv")
    return folder


def invoke(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout.lstrip().startswith(("{", "[")) else {}


def test_a_stage_column_reads_the_same_in_report_and_evaluate(stages: Path) -> None:
    history_csv, scored = str(stages / "history.csv"), str(stages / "scored.csv")
    evaluation = invoke("evaluate", history_csv, "--target", "stage", "--json", "--as-of", AS_OF.isoformat())
    invoke("score", history_csv, "-o", scored, "--as-of", AS_OF.isoformat(), "--quiet")
    invoke(
        "report", scored, "--by", "lead_source", "--target", "stage", "-o", str(stages / "by.json"), "--quiet"
    )
    rows = json.loads((stages / "by.json").read_text(encoding="utf-8"))
    frame = pl.read_csv(history_csv)
    won = frame.filter(pl.col("stage") == "Closed Won").height
    known = frame.filter(pl.col("stage").is_in(["Closed Won", "Closed Lost"])).height
    assert evaluation["converted"] == won == sum(r["conversions"] for r in rows)
    assert evaluation["rows_without_outcome"] == frame.height - known  # Open and blank are left out


@pytest.mark.parametrize("different", [3, 6, 7, 15])
def test_the_values_a_message_lists_count_the_rest_of_the_column(different: int) -> None:
    stages = [f"stage {i:02d}" for i in range(different)]
    frame = pl.DataFrame({"score": range(different * 2), "by": ["x"] * different * 2, "stage": stages * 2})
    more = f", ... ({different - 6} more)" if different > 6 else ""
    listed = ", ".join(f"'{s}'" for s in stages[:6]) + more
    with pytest.raises(InputError) as report_error:
        source_tables(frame, ["by"], target="stage", positive="signed")
    with pytest.raises(InputError) as evaluate_error:
        read_outcome(frame, "stage", positive="signed")
    for error in (report_error, evaluate_error):
        assert str(error.value).endswith(f"its values include {listed}")
