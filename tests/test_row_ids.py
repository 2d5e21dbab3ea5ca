"""Files with no id column: ``[model] id = "row"`` numbers the leads by their place in the file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadscore import parse_model_text, score
from leadscore.cli import app
from leadscore.ids import numbered
from tests.conftest import AS_OF
from tests.predictive_data import history

MODEL = """
[model]
name = "no ids"
id = "row"

[[rules]]
name = "Executive"
dimension = "fit"
column = "title"
in = ["CEO", "VP Sales"]
points = 20

[[rules]]
name = "Visits"
dimension = "engagement"
column = "visits"
points_per_unit = 3
max_points = 15
"""
LEADS = "name,title,visits\nAnn,Student,1\nBob,CEO,2\nCid,VP Sales,9\nDee,,0\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(in_tmp: Path) -> Path:
    (in_tmp / "model.toml").write_text(MODEL, encoding="utf-8")
    (in_tmp / "leads.csv").write_text(LEADS, encoding="utf-8")
    return in_tmp


@settings(max_examples=30, deadline=None)
@given(names=st.lists(st.text(min_size=0, max_size=5), max_size=30))
def test_leads_are_numbered_from_one_in_file_order(names: list[str]) -> None:
    frame = numbered(pl.LazyFrame({"name": names}, schema={"name": pl.String}), "row").collect()
    assert frame.columns == ["row", "name"]
    assert frame.rows() == [(i, name) for i, name in enumerate(names, start=1)]


def test_a_row_column_of_the_file_is_its_id_and_other_ids_are_not_touched() -> None:
    assert numbered(pl.LazyFrame({"row": ["r9"], "name": ["Ann"]}), "row").collect().rows() == [("r9", "Ann")]
    assert numbered(pl.LazyFrame({"name": ["Ann"]}), "lead_id").collect().columns == ["name"]


def test_score_numbers_the_leads_and_ranks_them(files: Path) -> None:
    code, _, err = run(
        "score", "leads.csv", "-m", "model.toml", "-o", "out.csv", "--as-of", AS_OF.isoformat()
    )
    assert code == 0, err
    written = pl.read_csv(files / "out.csv", infer_schema=False)
    assert written.columns[:4] == ["row", "name", "title", "visits"]
    by_row = {r["row"]: r for r in written.iter_rows(named=True)}
    for i, line in enumerate(LEADS.splitlines()[1:], start=1):
        assert by_row[str(i)]["name"] == line.split(",")[0]  # each lead keeps its own number
    library = score(
        pl.read_csv(files / "leads.csv", infer_schema=False), parse_model_text(MODEL), as_of=AS_OF
    )
    assert written["name"].to_list() == library.frame["name"].to_list()
    assert written["score"].to_list() == [str(s) for s in library.frame["score"].to_list()]


def test_leads_of_equal_score_keep_the_order_of_the_file(files: Path) -> None:
    (files / "leads.csv").write_text("name,title,visits\n" + "x,CEO,1\n" * 12, encoding="utf-8")
    code, _, err = run("score", "leads.csv", "-m", "model.toml", "-o", "out.csv", "-q")
    assert code == 0, err
    written = pl.read_csv(files / "out.csv")
    assert written["row"].to_list() == list(range(1, 13))  # 2 before 10: numbers, not text
    assert written["rank"].to_list() == list(range(1, 13))


def test_every_output_format_and_engine_gives_the_same_numbers(files: Path) -> None:
    common = ["-m", "model.toml", "--as-of", AS_OF.isoformat(), "-q"]
    for args in (["-o", "a.csv"], ["-o", "b.csv", "--streaming"], ["-o", "c.csv", "--engine", "duckdb"]):
        code, _, err = run("score", "leads.csv", *common, *args)
        assert code == 0, err
    assert (files / "a.csv").read_bytes() == (files / "b.csv").read_bytes() == (files / "c.csv").read_bytes()


def test_explain_finds_a_lead_by_its_number(files: Path) -> None:
    code, out, err = run("explain", "3", "-i", "leads.csv", "-m", "model.toml", "--as-of", AS_OF.isoformat())
    assert code == 0, err
    assert "╭─ 3  score 35" in out  # Cid: VP Sales +20, 9 visits x 3 capped at 15


def test_explain_of_a_number_past_the_last_lead_says_how_they_are_numbered(files: Path) -> None:
    code, _, err = run("explain", "7", "-i", "leads.csv", "-m", "model.toml")
    assert code == 1
    assert err.strip() == (
        "Error: leads.csv has no lead '7': the model's id is \"row\", and its 4 leads are numbered "
        "1 to 4 in the order of the file"
    )


def test_check_accepts_a_file_with_no_id_column(files: Path) -> None:
    code, out, err = run("check", "model.toml", "--input", "leads.csv")
    assert code == 0, err
    # the two columns the rules read: the numbering is made, not read from the file
    assert "leads.csv: OK, 4 rows; all 2 columns the model reads are there" in out


def test_files_matched_by_id_are_refused(files: Path) -> None:
    run("score", "leads.csv", "-m", "model.toml", "-o", "before.csv", "-q")
    code, _, err = run("score", "leads.csv", "-m", "model.toml", "-o", "out.csv", "--previous", "before.csv")
    assert code != 0
    assert err.strip().splitlines() == [
        "Error: leads.csv has no id column, so its leads are numbered by their place in it "
        '([model] id = "row"), but --previous matches leads by id; add an id column to the export '
        "and set [model] id to it"
    ]
    assert not (files / "out.csv").exists()


@pytest.mark.parametrize("option", ["--adjustments", "--events"])
@pytest.mark.parametrize("command", ["score", "explain"])
def test_other_files_matched_by_id_are_refused_too(files: Path, option: str, command: str) -> None:
    (files / "adjustments.csv").write_text("lead_id,points,reason\n1,10,Referred\n", encoding="utf-8")
    (files / "events.csv").write_text("lead_id,event,timestamp\n1,demo,2026-10-01\n", encoding="utf-8")
    event_rule = '\n[[rules]]\nname = "Demo"\ndimension = "engagement"\nevent = "demo"\npoints = 25\n'
    (files / "model.toml").write_text(MODEL + event_rule, encoding="utf-8")
    given = "adjustments.csv" if option == "--adjustments" else "events.csv"
    first = (
        ["score", "leads.csv", "-o", "out.csv"] if command == "score" else ["explain", "1", "-i", "leads.csv"]
    )
    code, _, err = run(*first, "-m", "model.toml", option, given)
    assert code != 0
    assert f"but {option} matches leads by id; add an id column" in err


def test_a_missing_id_with_no_close_name_offers_numbering(files: Path) -> None:
    (files / "model.toml").write_text(MODEL.replace('id = "row"', 'id = "lead_id"'), encoding="utf-8")
    code, _, err = run("score", "leads.csv", "-m", "model.toml", "-o", "out.csv")
    assert code != 0
    assert '[model] id to the column that identifies a lead, or to "row" to number the leads' in err
    (files / "leads.csv").write_text(LEADS.replace("name,", "lead_ids,"), encoding="utf-8")
    code, _, err = run("score", "leads.csv", "-m", "model.toml", "-o", "out.csv")
    assert "did you mean 'lead_ids'" in err and '"row"' not in err  # a close name is the likelier fix


def test_fit_on_a_history_with_no_id_writes_a_model_that_scores_it(in_tmp: Path) -> None:
    past = history(600)
    past.drop([c for c in past.columns if c.endswith("id")]).write_csv(in_tmp / "history.csv")
    code, _, err = run("fit", "history.csv", "--target", "converted", "-o", "learned.toml",
                       "--as-of", AS_OF.isoformat())  # fmt: skip
    assert code == 0, err
    text = (in_tmp / "learned.toml").read_text(encoding="utf-8")
    assert 'id = "row"  # the history has no id column' in text
    code, _, err = run("score", "history.csv", "-m", "learned.toml", "-o", "scored.csv", "-q")
    assert code == 0, err
    assert sorted(pl.read_csv(in_tmp / "scored.csv")["row"].to_list()) == list(range(1, 601))
