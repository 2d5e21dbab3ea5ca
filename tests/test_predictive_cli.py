"""The fit and evaluate commands: exit codes, key output, JSON, HTML, and every history format."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadscore import load_model
from leadscore.cli import app
from leadscore.io import write_table
from leadscore.predictive.outcome import read_outcome
from leadscore.synthetic import generate_history, generate_history_events
from tests.predictive_data import AS_OF, history

AS_OF_OPTION = ["--as-of", AS_OF.isoformat()]
SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history file and a model learnt from it by the command line."""
    path = tmp_path_factory.mktemp("predictive")
    history(1500).write_csv(path / "history.csv")
    result = CliRunner().invoke(
        app, ["fit", str(path / "history.csv"), "--target", "converted", "-o", str(path / "learned.toml"),
              *AS_OF_OPTION],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (path / "fit_output.txt").write_text(result.output, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_fit_reports_and_writes_a_model(folder: Path) -> None:
    out = (folder / "fit_output.txt").read_text(encoding="utf-8")
    for text in ("Fit run", "Cross-validated AUC", "Leads learnt from", "Rules that raise the odds most",
                 "Rules that lower the odds most", "Columns not used", "closed_at", "likely leak"):  # fmt: skip
        assert text in out
    assert load_model(folder / "learned.toml").integral


def test_fit_refuses_to_overwrite_without_force(folder: Path) -> None:
    code, _, err = run(
        "fit", str(folder / "history.csv"), "-t", "converted", "-o", str(folder / "learned.toml")
    )
    assert code == 2
    assert (
        err.strip()
        == f"Error: {folder / 'learned.toml'} already exists; use --force to replace it, or choose another -o"
    )


def test_fit_to_standard_output_prints_only_the_model(folder: Path) -> None:
    code, out, _ = run("fit", str(folder / "history.csv"), "-t", "converted", "-o", "-", "-q", *AS_OF_OPTION)
    assert code == 0
    assert out.startswith("# Learnt by leadscore fit")
    assert out == (folder / "learned.toml").read_text(encoding="utf-8")


def test_fit_needs_a_toml_output(folder: Path) -> None:
    code, _, err = run("fit", str(folder / "history.csv"), "-t", "converted", "-o", str(folder / "model.csv"))
    assert code == 2
    assert "give -o a name ending in .toml" in err


def test_fit_with_an_unknown_target(folder: Path) -> None:
    code, _, err = run("fit", str(folder / "history.csv"), "-t", "convert", "-o", str(folder / "x.toml"))
    assert code == 2
    assert err.strip() == (
        f"Error: --target: no column 'convert' in {folder / 'history.csv'} (did you mean 'converted'?); "
        "name the column that says whether each lead converted"
    )


def test_fit_with_a_target_that_is_not_an_outcome(folder: Path) -> None:
    code, _, err = run("fit", str(folder / "history.csv"), "-t", "industry", "-o", str(folder / "x.toml"))
    assert code == 1
    assert "values that are not an outcome" in err
    assert "--positive VALUE" in err


def test_a_target_that_is_not_an_outcome_counts_the_values_it_does_not_show(tmp_path: Path) -> None:
    stages = [f"Stage {n}" for n in range(1, 21)]  # 20 different values, 6 of them shown
    frame = history(400).with_columns(pl.Series("stage", [stages[i % 20] for i in range(400)]))
    frame.write_csv(tmp_path / "history.csv")
    for command in (["fit", "-o", str(tmp_path / "x.toml")], ["evaluate"]):
        code, _, err = run(*command, str(tmp_path / "history.csv"), "-t", "stage")
        shown = ", ".join(f"'{s}' on 20 rows" for s in sorted(stages)[:6])
        assert code == 1, err
        assert f"has values that are not an outcome: {shown}, ... ({len(stages) - 6} more); use 1/0" in err


def test_evaluate_report(folder: Path) -> None:
    code, out, _ = run("evaluate", str(folder / "history.csv"), "-t", "converted", "-m",
                       str(folder / "learned.toml"), "--mql-rate", "20%", *AS_OF_OPTION)  # fmt: skip
    assert code == 0
    for text in ("Evaluation", "AUC", "Gini", "KS", "Gains by score band", "Conversion by tier",
                 "Conversion by grade", "Qualified leads", "Threshold advice", "qualify 20% of leads"):  # fmt: skip
        assert text in out


def test_evaluate_json_is_valid_json_on_standard_output(folder: Path) -> None:
    code, out, _ = run("evaluate", str(folder / "history.csv"), "-t", "converted", "-m",
                       str(folder / "learned.toml"), "--json", "--min-precision", "0.3", *AS_OF_OPTION)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"auc", "gini", "ks", "gains", "tiers", "grades", "qualified", "threshold_advice"}
    assert data["threshold_advice"][0]["goal"] == "precision"
    assert 0.5 < data["auc"] <= 1


def test_evaluate_html_page(folder: Path) -> None:
    page = folder / "report.html"
    code, out, _ = run("evaluate", str(folder / "history.csv"), "-t", "converted", "-m",
                       str(folder / "learned.toml"), "--html", str(page), *AS_OF_OPTION)  # fmt: skip
    assert code == 0
    assert f"wrote {page}" in out
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Gains by score band" in html


def test_evaluate_holdout(folder: Path) -> None:
    code, out, _ = run("evaluate", str(folder / "history.csv"), "-t", "converted", "-m",
                       str(folder / "learned.toml"), "--holdout-by", "created_at", *AS_OF_OPTION)  # fmt: skip
    assert code == 0
    assert "the newest" in out
    assert "by 'created_at'" in out
    # the leads without an outcome were left out of the whole history, not of the newest leads
    h = pl.read_csv(folder / "history.csv", infer_schema=False)
    open_leads = h.filter(pl.col("converted").is_null()).height
    assert open_leads > 0
    assert f"({open_leads} without an outcome left out before the split)" in " ".join(out.split())


@pytest.mark.parametrize("value", ["0", "1.5", "lots", "150%"])
def test_evaluate_rejects_a_bad_share(folder: Path, value: str) -> None:
    code, _, err = run("evaluate", str(folder / "history.csv"), "-t", "converted", "--mql-rate", value)
    assert code == 2
    assert "--mql-rate must be" in err


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json", "parquet"])
def test_every_history_format(folder: Path, suffix: str, tmp_path: Path) -> None:
    source = tmp_path / f"history.{suffix}"
    write_table(history(1500), source)  # typed columns where the format keeps them
    model = tmp_path / "learned.toml"
    code, _, err = run("fit", str(source), "-t", "converted", "-o", str(model), "-q", *AS_OF_OPTION)
    assert code == 0, err
    learnt = load_model(model)
    reference = load_model(folder / "learned.toml")
    assert [(r.name, r.when, r.points) for r in learnt.rules] == [
        (r.name, r.when, r.points) for r in reference.rules
    ]
    code, out, err = run(
        "evaluate", str(source), "-t", "converted", "-m", str(model), "--json", *AS_OF_OPTION
    )
    assert code == 0, err
    assert json.loads(out)["leads"] == 1500 - history(1500)["converted"].null_count()


@pytest.mark.parametrize("command", ["fit", "evaluate"])
def test_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "--target" in out


@pytest.fixture(scope="module")
def with_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history with its activity log; converted leads have events after their close."""
    path = tmp_path_factory.mktemp("history_events")
    generate_history(800).write_csv(path / "history.csv")
    generate_history_events(800).write_csv(path / "activity.csv")
    return path


def test_evaluate_a_model_with_event_rules_needs_the_log(with_events: Path) -> None:
    code, _, err = run("evaluate", str(with_events / "history.csv"), "-t", "converted",
                       "-m", str(SAMPLE_DATA / "b2b_events.toml"), *AS_OF_OPTION)  # fmt: skip
    assert code == 2
    assert "give it with --events activity.csv" in err
    code, _, err = run("evaluate", str(with_events / "history.csv"), "-t", "converted",
                       "--events-until", "closed_at", *AS_OF_OPTION)  # fmt: skip
    assert code == 2
    assert "--events-until needs an activity log: add --events activity.csv" in err


def test_evaluate_counts_each_leads_events_up_to_its_close(with_events: Path) -> None:
    code, out, _ = run("evaluate", str(with_events / "history.csv"), "-t", "converted",
                       "-m", str(SAMPLE_DATA / "b2b_events.toml"), "-e", str(with_events / "activity.csv"),
                       "--events-until", "closed_at", "--json", *AS_OF_OPTION)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    # the reference: events of leads with an outcome, after the end of their close day, before the as-of day's
    leads = pl.read_csv(with_events / "history.csv", infer_schema=False).filter(
        pl.col("converted").is_not_null()
    )
    assert leads.height < 800  # some leads are still open: their events are not "of no lead"
    closes = {r["lead_id"]: r["closed_at"] for r in leads.iter_rows(named=True)}
    end_of_as_of = dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time())
    late = 0
    for row in pl.read_csv(with_events / "activity.csv", infer_schema=False).iter_rows(named=True):
        close = closes.get(row["lead_id"])
        when = dt.datetime.fromisoformat(row["timestamp"].removesuffix("Z"))
        late += (
            close is not None
            and dt.datetime.fromisoformat(close) + dt.timedelta(days=1) <= when < end_of_as_of
        )
    assert late > 1
    notice = f"{late:,} events in {with_events / 'activity.csv'} came after their lead's 'closed_at' date and were left out"
    assert notice in data["warnings"]
    assert not any("belong to no lead" in w for w in data["warnings"])
    assert 0.5 < data["auc"] < 1


def test_fit_learns_event_rules_and_evaluate_measures_them(with_events: Path) -> None:
    history, activity, model = (
        with_events / "history.csv",
        with_events / "activity.csv",
        with_events / "ev.toml",
    )
    code, out, _ = run("fit", str(history), "-t", "converted", "-e", str(activity), "--events-until", "closed_at",
                       "-o", str(model), *AS_OF_OPTION)  # fmt: skip
    assert code == 0, out
    assert "events (90 days)" in out  # the counts are among the columns used
    next_step = " ".join(out.split("next: ")[1].split())
    assert f"-m {model} " in next_step
    assert f"-e {activity} --events-until closed_at" in next_step
    assert load_model(model).event_rules
    code, out, _ = run("evaluate", str(history), "-t", "converted", "-m", str(model), "-e", str(activity),
                       "--events-until", "closed_at", "--json", *AS_OF_OPTION)  # fmt: skip
    assert code == 0
    assert json.loads(out)["auc"] > 0.6


def test_fits_next_step_reads_the_history_as_fit_did(tmp_path: Path) -> None:
    """The printed evaluate command carries --positive, --as-of, --dedupe and the reading
    options; run as printed, it measures the model."""
    h = history(400).with_columns(pl.col("converted").replace({"yes": "Signed", "no": "Lost"}))
    (tmp_path / "history.csv").write_text(h.write_csv(separator=";"), encoding="cp1252")
    code, out, err = run("fit", str(tmp_path / "history.csv"), "-t", "converted", "--positive", "Signed",
                         "--dedupe", "last", "--encoding", "cp1252", "--monthfirst", "--decimal-point",
                         "-o", str(tmp_path / "learned.toml"), *AS_OF_OPTION)  # fmt: skip
    assert code == 0, err
    command = shlex.split(out.split("next: ")[1])
    assert command[:2] == ["leadscore", "evaluate"]
    assert {"--positive", "--dedupe", "--as-of", "--encoding", "--monthfirst", "--decimal-point"} <= set(
        command
    )
    code, out, err = run(*command[1:], "--json")
    assert code == 0, err
    assert json.loads(out)["leads"] == h.filter(pl.col("converted").is_not_null()).height


def test_fit_json_is_the_report_for_scripts(folder: Path, tmp_path: Path) -> None:
    model = tmp_path / "learned.toml"
    code, out, _ = run("fit", str(folder / "history.csv"), "-t", "converted", "-o", str(model), "--json",
                       *AS_OF_OPTION)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    written = load_model(model)
    assert data["model"] == {"name": written.name, "output": str(model)}
    assert [r["name"] for r in data["rules"]] == [r.name for r in written.rules]
    assert data["min_score"] == written.min_score
    assert 0.5 < data["cv_auc"] <= 1
    assert {c["column"] for c in data["columns"]} >= {"company_size", "job_title"}
    assert data["leads"] + data["rows_without_outcome"] == data["rows"]
    code, _, err = run("fit", str(folder / "history.csv"), "-t", "converted", "-o", "-", "--json")
    assert code == 2
    assert "write the model to a file with -o" in err


def test_fit_warns_about_day_first_dates_as_score_does(tmp_path: Path) -> None:
    h = history(600).with_columns(pl.col("last_activity").str.to_date().dt.strftime("%d/%m/%Y"))
    h.write_csv(tmp_path / "history.csv")
    known = h.filter(read_outcome(h, "converted").values.is_not_null())  # the leads fit learns from
    days = known["last_activity"].drop_nulls().to_list()
    unread = [d for d in days if int(d[:2]) > 12]
    same = unread.count(unread[0])
    code, _, err = run("fit", str(tmp_path / "history.csv"), "-t", "converted", "-o", str(tmp_path / "m.toml"),
                       *AS_OF_OPTION)  # fmt: skip
    assert code == 0, err
    assert (
        f"- column 'last_activity': {len(unread)} of {len(days)} values are not dates (e.g. '{unread[0]}' on "
        f"{same} row{'s' if same != 1 else ''}), so fit did not read it as dates; they look like "
        "day/month/year: add --dayfirst"
    ) in " ".join(err.split())
    code, out, err = run("fit", str(tmp_path / "history.csv"), "-t", "converted", "-o", str(tmp_path / "d.toml"),
                         "--dayfirst", "--json", *AS_OF_OPTION)  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert "last_activity" in [c["column"] for c in report["columns"]]
    assert not [w for w in report["warnings"] if "last_activity" in w]


def test_fit_warns_about_repeated_lead_ids_and_can_keep_one_row(tmp_path: Path) -> None:
    h = history(600)
    pl.concat([h, h.head(3)]).write_csv(tmp_path / "history.csv")
    code, out, err = run("fit", str(tmp_path / "history.csv"), "-t", "converted", "-o", str(tmp_path / "m.toml"),
                         "--json", *AS_OF_OPTION)  # fmt: skip
    assert code == 0, err
    ids = ", ".join(f"'{i}' on 2 rows" for i in h["lead_id"].head(3))
    assert json.loads(out)["warnings"][0] == (
        f"3 lead_id values are repeated in {tmp_path / 'history.csv'} ({ids}); every row is kept: use "
        "--dedupe first or --dedupe last to keep one"
    )
    code, out, err = run("fit", str(tmp_path / "history.csv"), "-t", "converted", "-o", str(tmp_path / "f.toml"),
                         "--json", "--dedupe", "first", *AS_OF_OPTION)  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["leads"] + report["rows_without_outcome"] == 600
    assert report["warnings"][0].endswith(
        f"kept the first row of each repeated lead_id and left out 3 rows ({ids})"
    )


def test_fit_with_only_skipped_columns_named_says_why_in_one_line(folder: Path) -> None:
    code, _, err = run("fit", str(folder / "history.csv"), "-t", "converted", "-o", str(folder / "none.toml"),
                       "--columns", "closed_at,email", *AS_OF_OPTION)  # fmt: skip
    assert code == 1
    assert err == (
        "Error: none of the columns named with --columns could be used: 'closed_at' (a likely leak), 'email' "
        "(personal details); name other columns with --columns, or keep a likely leak with --allow-leaks if "
        "it is known before the sale\n"
    )
