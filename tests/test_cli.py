"""The command line as a user meets it: exit codes, one-line errors, files written."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadscore import default_model, load_model, score
from leadscore.cli import app
from leadscore.errors import shell_arg
from leadscore.model import default_model_text
from tests.conftest import AS_OF

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_score_writes_ranked_csv_next_to_the_working_folder(leads_csv: Path, in_tmp: Path) -> None:
    code, out, err = run("score", str(leads_csv), "--as-of", "2026-11-01")
    assert code == 0, err
    written = pl.read_csv(in_tmp / "leads.scored.csv", infer_schema=False)
    expected = score(pl.read_csv(leads_csv, infer_schema=False), default_model(), as_of=AS_OF).frame
    assert written["lead_id"].to_list() == expected["lead_id"].to_list()
    assert written["score"].to_list() == [str(s) for s in expected["score"].to_list()]
    assert written.columns[-8:] == [
        "score",
        "fit_score",
        "engagement_score",
        "tier",
        "grade",
        "qualified",
        "rank",
        "reasons",
    ]
    assert "Leads scored" in out
    assert "Top 10 leads" in out


def test_score_uses_the_project_model_when_there_is_one(leads_csv: Path, in_tmp: Path) -> None:
    text = default_model_text().replace('name = "B2B SaaS inbound (starter)"', 'name = "Project model"')
    (in_tmp / "leadscore.toml").write_text(text.replace("points = 25", "points = 40"), encoding="utf-8")
    code, out, _ = run("score", str(leads_csv), "--as-of", "2026-11-01", "-o", "out.csv")
    assert code == 0
    assert "Project model" in out


def test_score_to_stdout_sends_the_report_to_stderr(leads_csv: Path) -> None:
    code, out, err = run("score", str(leads_csv), "-o", "-", "--as-of", "2026-11-01", "--no-reasons")
    assert code == 0
    assert out.splitlines()[0].endswith("engagement_score,tier,grade,qualified,rank")
    assert len(out.splitlines()) == 121
    assert "Leads scored" in err


def test_quiet_prints_nothing(leads_csv: Path) -> None:
    code, out, err = run("score", str(leads_csv), "--quiet")
    assert (code, out, err) == (0, "", "")


@pytest.mark.parametrize("ext", ["csv", "xlsx", "json", "ndjson", "parquet"])
def test_output_format_follows_the_extension(leads_csv: Path, in_tmp: Path, ext: str) -> None:
    code, _, err = run("score", str(leads_csv), "-o", f"ranked.{ext}", "--top", "20", "-q")
    assert code == 0, err
    from leadscore.io import read_table

    back = read_table([in_tmp / f"ranked.{ext}"]).frame.collect()
    assert back.height == 120
    assert [str(v) for v in back["rank"].to_list()] == [str(i) for i in range(1, 121)]


def test_missing_column_is_one_line_with_a_close_match(in_tmp: Path, leads_frame: pl.DataFrame) -> None:
    leads_frame.rename({"job_title": "jobtitle"}).write_csv(in_tmp / "leads.csv")
    code, out, err = run("score", "leads.csv")
    assert code == 1
    # the built-in model, which has no file to edit: init --from writes one
    assert err == (
        "Error: leads.csv names the model's columns differently: 'job_title' is 'jobtitle'; "
        "'leadscore init --from leads.csv' writes the built-in model with the file's names\n"
    )
    (in_tmp / "leadscore.toml").write_text(default_model_text(), encoding="utf-8")
    code, out, err = run("score", "leads.csv")
    assert code == 1
    # one message for the column, however many rules read it (four in the model)
    assert err == (
        "Error: column 'job_title' is not in leads.csv (did you mean 'jobtitle'?); "
        "rule 'Executive title' (#1) and 3 others read it\n"
    )
    assert "Traceback" not in err + out


def test_a_missing_column_with_no_close_name_says_how_to_put_it_right(
    in_tmp: Path, leads_frame: pl.DataFrame
) -> None:
    leads_frame.drop("country", "industry").write_csv(in_tmp / "leads.csv")
    (in_tmp / "leadscore.toml").write_text(default_model_text(), encoding="utf-8")
    code, _, err = run("score", "leads.csv")
    assert code == 1
    assert err == (
        "Error: leads.csv lacks 2 of the columns the model reads:\n"
        "  - column 'industry' is not in leads.csv; rule 'Target industry' (#3) and 1 other read it: "
        "add it to the export, or point them at a column the file has\n"
        "  - rule 'Core market' (#6): column 'country' is not in leads.csv; "
        "add it to the export, or point the rule at a column the file has\n"
    )


def test_a_repeated_column_renamed_by_the_reader_is_not_offered_for_a_missing_one(
    in_tmp: Path, leads_frame: pl.DataFrame
) -> None:
    """Two 'email' columns read as email and email_2; 'email_clicks' only shares their start."""
    frame = leads_frame.drop("email_clicks").with_columns(pl.col("email").alias("email_"))
    frame.write_csv(in_tmp / "leads.csv")
    csv = (in_tmp / "leads.csv").read_text(encoding="utf-8").replace(",email_,", ",email,", 1)
    (in_tmp / "leads.csv").write_text(csv.replace(",email_\n", ",email\n", 1), encoding="utf-8")
    (in_tmp / "leadscore.toml").write_text(default_model_text(), encoding="utf-8")
    code, _, err = run("score", "leads.csv")
    assert code == 1
    assert err == (
        "Error: rule 'E-mail clicks' (#11): column 'email_clicks' is not in leads.csv; "
        "add it to the export, or point the rule at a column the file has\n"
    )


def test_a_file_missing_many_columns_is_one_message_naming_them(
    in_tmp: Path, leads_frame: pl.DataFrame
) -> None:
    # an export of another shape: one message naming the columns, not one per rule
    leads_frame.select("lead_id", "job_title").write_csv(in_tmp / "leads.csv")
    code, _, err = run("score", "leads.csv")
    assert code == 1
    read = dict.fromkeys(c for rule in default_model().rules for c in rule.columns)
    missing = [c for c in read if c != "job_title"]
    assert len(missing) > 8
    named = ", ".join(f"'{c}'" for c in missing[:8])
    assert err == (
        f"Error: {len(missing)} columns the model reads are not in leads.csv: {named} and "
        f"{len(missing) - 8} more; export them too, or use a model written for this file; "
        "'leadscore init --from leads.csv' writes the built-in model to a file you can edit\n"
    )
    (in_tmp / "own.toml").write_text(default_model_text(), encoding="utf-8")
    code, _, err = run("score", "leads.csv", "-m", "own.toml")
    assert code == 1
    assert err.endswith("export them too, or use a model written for this file\n")  # it has a file


def test_a_crm_export_with_other_spellings_of_the_columns_is_told_which(
    in_tmp: Path, leads_frame: pl.DataFrame
) -> None:
    """'Lead ID' and 'Job Title' for lead_id and job_title: the message pairs them up, rather
    than suggesting another header row."""
    crm = {c: c.replace("_", " ").title() for c in leads_frame.columns}
    leads_frame.rename(crm).write_csv(in_tmp / "leads.csv")
    code, _, err = run("score", "leads.csv")
    assert code == 1
    read = list(default_model().lead_columns)
    pairs = ", ".join(f"'{c}' is '{crm[c]}'" for c in read[:4])
    assert err == (
        f"Error: leads.csv names the model's columns differently: {pairs} and {len(read) - 4} more; "
        "'leadscore init --from leads.csv' writes the built-in model with the file's names\n"
    )
    code, out, _ = run("init", "--from", "leads.csv")
    assert code == 0, out
    written = score(pl.read_csv(in_tmp / "leads.csv"), load_model(in_tmp / "leadscore.toml"), as_of=AS_OF)
    built_in = score(leads_frame, default_model(), as_of=AS_OF)
    assert (
        written.ranked.select("Lead Id", "score", "reasons").rows()
        == built_in.ranked.select("lead_id", "score", "reasons").rows()
    )
    (in_tmp / "own.toml").write_text(
        '[model]\nname = "own"\n[[rules]]\nname = "Title"\ndimension = "fit"\n'
        'column = "job_title"\ncontains = "chief"\npoints = 10\n'
    )
    code, _, err = run("score", "leads.csv", "-m", "own.toml")
    assert err == (
        "Error: leads.csv names the model's columns differently: 'lead_id' is 'Lead Id', 'job_title' is "
        """'Job Title'; write the file's names in the model, e.g. [model] id = "Lead Id"\n"""
    )


def test_a_salesforce_report_is_scored_by_the_built_in_model_after_init_from(
    in_tmp: Path, leads_frame: pl.DataFrame
) -> None:
    """A Salesforce lead report labels the columns its own way: 'Title', 'No. of Employees',
    'Email Opt Out'. The error says which is which, and `init --from` writes a model that reads
    them and scores as the built-in model scores the same leads."""
    labels = {
        "lead_id": "Lead ID",
        "job_title": "Title",
        "company_size": "No. of Employees",
        "country": "Country",
        "email": "Email",
        "unsubscribed": "Email Opt Out",
        "last_activity": "Last Activity",
    }
    leads_frame.rename(labels).write_csv(in_tmp / "report.csv")
    code, _, err = run("score", "report.csv")
    assert code == 1
    pairs = [f"'{c}' is '{labels[c]}'" for c in default_model().lead_columns if c in labels]
    assert err == (
        f"Error: report.csv names the model's columns differently: {', '.join(pairs[:4])} and "
        f"{len(pairs) - 4} more; 'leadscore init --from report.csv' writes the built-in model with "
        "the file's names\n"
    )
    code, out, err = run("init", "--from", "report.csv")
    assert code == 0, err
    assert err == ""  # every column found
    assert f"reads report.csv's own names for {len(labels)} columns: lead_id -> 'Lead ID', " in out
    code, _, err = run("score", "report.csv", "--as-of", "2026-11-01", "-o", "ranked.csv")
    assert code == 0, err
    written = pl.read_csv(in_tmp / "ranked.csv", infer_schema=False)
    built_in = score(leads_frame, default_model(), as_of=AS_OF).ranked
    assert (
        written.select("Lead ID", "score", "reasons").rows()
        == built_in.select(
            pl.col("lead_id"), pl.col("score").cast(pl.String), pl.col("reasons").replace("", None)
        ).rows()
    )


def test_commands_suggested_for_a_file_name_with_spaces_can_be_copied(
    in_tmp: Path, leads_frame: pl.DataFrame
) -> None:
    leads_frame.rename({"job_title": "Title"}).write_csv(in_tmp / "Leads Export Nov.csv")
    code, _, err = run("score", "Leads Export Nov.csv")
    assert code == 1
    assert """'leadscore init --from "Leads Export Nov.csv"' writes the built-in model""" in err
    code, out, _ = run("init", "--from", "Leads Export Nov.csv", "my models")
    assert code == 0
    assert out.endswith('next: leadscore score "Leads Export Nov.csv" -m "my models/leadscore.toml"\n')


def test_init_from_a_file_names_the_columns_it_lacks(in_tmp: Path, leads_frame: pl.DataFrame) -> None:
    headers = {"lead_id": "Lead ID", "job_title": 'Job "Title"'}  # a quote the TOML must escape
    leads_frame.drop("unsubscribed").rename(headers).write_csv(in_tmp / "export.csv")
    code, out, err = run("init", "--from", "export.csv")
    assert code == 0, err
    assert (
        "reads export.csv's own names for 2 columns: lead_id -> 'Lead ID', job_title -> 'Job \"Title\"'"
        in out
    )
    assert err == (
        "note: export.csv has no column for 'unsubscribed', so leadscore.toml leaves out 1 rule "
        "('Unsubscribed'), commented out: to use one, name the file's column in it and uncomment it\n"
    )
    model = load_model(in_tmp / "leadscore.toml")
    assert model.id_column == "Lead ID"
    assert 'Job "Title"' in model.lead_columns and "job_title" not in model.lead_columns
    assert not (in_tmp / "sample_leads.csv").exists()


def test_bad_model_lists_every_problem_and_exits_1(leads_csv: Path, in_tmp: Path) -> None:
    (in_tmp / "bad.toml").write_text(
        '[model]\nname = "x"\n[[rules]]\nname = "A"\ndimension = "fit"\ncolumn = "job_title"\n'
        'matchs = "x"\npoints = 1\n[tiers]\nhot = "high"\n',
        encoding="utf-8",
    )
    code, _, err = run("score", str(leads_csv), "-m", "bad.toml")
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "Error: bad.toml has 3 problems:"
    assert "  - rule 'A' (#1): unknown key 'matchs' (did you mean 'matches'?)" in lines


def test_missing_input_file_is_an_error_not_a_traceback(in_tmp: Path) -> None:
    code, _, err = run("score", "nope.csv")
    assert code == 1
    assert err.startswith("Error: ") and "nope.csv" in err
    assert len(err.strip().splitlines()) == 1


def test_bad_usage_exits_2(leads_csv: Path) -> None:
    code, _, _ = run("score", str(leads_csv), "--as-of", "yesterday")
    assert code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["score", "L.csv", "--as-of", "yesterday"],
            "leadscore score: --as-of 'yesterday' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01",
        ),
        (["score", "L.csv", "--top", "x"], "leadscore score: --top takes a whole number"),
        (["score", "L.csv", "--header-row", "0"], "leadscore score: --header-row must be 1 or more"),
        (
            ["score", "L.csv", "--dedupe", "sometimes"],
            "leadscore score: --dedupe 'sometimes' is not one of 'first', 'last', 'error'",
        ),
        (["score", "L.csv", "--sheet"], "leadscore score: option '--sheet' requires an argument"),
        (
            ["report", "L.csv"],
            "leadscore report: missing option --by (Column to break the leads down by, e.g. lead_source; "
            "repeat for more)",
        ),
        (["explain"], "leadscore explain: missing argument 'ids' (Lead id(s) to explain, e.g. L0042)"),
        (["check", "a.toml", "b.toml"], "leadscore check: got unexpected extra argument(s) (b.toml)"),
    ],
)
def test_a_usage_mistake_is_one_line_saying_what_is_wrong(args: list[str], message: str) -> None:
    code, _, err = run(*args)
    command = message.split(":")[0]
    assert (code, err) == (2, f"Error: {message}; '{command} -h' shows how to use it\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["score", "L.csv", "--bogus"],
            "leadscore score has no option --bogus; 'leadscore score -h' lists its options",
        ),
        (
            ["init", "--forse"],
            "leadscore init has no option --forse (did you mean --force or --from?); "
            "'leadscore init -h' lists its options",
        ),
        (["--bogus"], "leadscore has no option --bogus; 'leadscore -h' lists its options"),
        (
            ["scor", "L.csv"],
            "leadscore has no command 'scor' (did you mean 'score'?); 'leadscore -h' lists the commands",
        ),
    ],
)
def test_an_unknown_option_or_command_is_one_line_with_the_close_ones(args: list[str], message: str) -> None:
    assert run(*args)[::2] == (2, f"Error: {message}\n")


def test_every_command_says_its_usage_mistakes_in_one_line() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        code, _, err = run(name, "--zzz")
        assert code == 2
        assert (
            err == f"Error: leadscore {name} has no option --zzz; 'leadscore {name} -h' lists its options\n"
        )
        assert run(name, "-h")[0] == 0  # and the help it points to is there


def test_leadscore_alone_shows_the_help() -> None:
    code, out, err = run()
    assert code == 2
    assert "Commands:" in out + err


def test_refuses_to_overwrite_the_input(leads_csv: Path) -> None:
    code, _, err = run("score", str(leads_csv), "-o", str(leads_csv))
    assert code == 2
    assert "overwrite" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["score", "lead.csv", "-o", "ranked.csv"], "lead.csv: file not found (did you mean 'leads.csv'?)"),
        (["score", "leads.cvs"], "leads.cvs: file not found (did you mean 'leads.csv'?)"),
        (["score", "nope.csv", "-o", "ranked.csv"], "nope.csv: file not found"),  # not out.csv: '.csv' alone
        (["score", "oot.csv", "-o", "OUT.CSV"], "oot.csv: file not found"),  # out.csv is being written
        (["score", "crm_export.csv"], "crm_export.csv: file not found"),  # not crm_export.scored.csv, its output
        (["explain", "L0001", "-i", "crm_export.csv"], "crm_export.csv: file not found"),  # nor a scored file
        (["report", "crm_export.csv", "--by", "country"],
         "crm_export.csv: file not found (did you mean 'crm_export.scored.csv'?)"),  # what report reads
        (["check", "--input", "leadscore-run.json"], "leadscore-run.json: file not found"),  # a run's record
        (["init", "--from", "ranked.xlsx"], "ranked.xlsx: file not found (did you mean 'ranked.csv'?)"),
    ],
)  # fmt: skip
def test_a_missing_input_suggests_only_a_file_that_could_be_meant(
    leads_csv: Path, in_tmp: Path, args: list[str], said: str
) -> None:
    for name in ("out.csv", "ranked.csv", "crm_export.scored.csv", ".leadscore-run.json"):
        (in_tmp / name).write_bytes(leads_csv.read_bytes())
    code, _, err = run(*args)
    assert (code, err.strip().splitlines()) == (1, [f"Error: {said}"])


def test_a_missing_input_spelt_in_another_case_is_said_to_be(leads_csv: Path, in_tmp: Path) -> None:
    if (in_tmp / "LEADS.CSV").exists():
        pytest.skip("file names ignore case here: LEADS.CSV is leads.csv")
    code, _, err = run("score", "LEADS.CSV")
    assert (code, err.strip()) == (
        1,
        "Error: LEADS.CSV: file not found (did you mean 'leads.csv'? the names differ in case)",
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["score", "gone.csv"], 1),  # an input that is not there: export it again
        (["score", "leads.csv", "-m", "gone.toml"], 1),
        (["score", "leads.csv", "--adjustments", "gone.csv"], 1),
        (["score", "leads.csv", "--previous", "gone.csv"], 1),
        (["explain", "L0001", "-i", "gone.csv"], 1),
        (["score", "leads.csv", "-o", "gone/ranked.csv"], 2),  # where it writes: the command's set-up
        (["score", "leads.csv", "--summary-json", "gone/summary.json"], 2),
        (["score", "leads.csv", "-o", "leads.csv"], 2),
    ],
)  # fmt: skip
def test_a_missing_input_exits_1_and_an_output_that_cannot_be_written_2(
    leads_csv: Path, args: list[str], code: int
) -> None:
    """The README's rule: exit 1 when an input needs fixing, exit 2 when the command does."""
    got, _, err = run(*args)
    assert (got, len(err.strip().splitlines())) == (code, 1), err


def test_check_accepts_a_good_model_and_file(leads_csv: Path, in_tmp: Path) -> None:
    (in_tmp / "b2b.toml").write_text(default_model_text(), encoding="utf-8")
    code, out, _ = run("check", "b2b.toml", "--input", str(leads_csv))
    assert code == 0
    assert out.startswith("b2b.toml: OK, model 'B2B SaaS inbound (starter)': 18 rules in 2 dimensions")
    assert "leads.csv: OK, 120 rows" in out


def test_check_without_a_model_checks_the_one_score_would_use(leads_csv: Path, in_tmp: Path) -> None:
    code, out, _ = run("check", "--input", str(leads_csv))
    assert code == 0
    assert out.startswith("the built-in model: OK, model 'B2B SaaS inbound (starter)'")
    assert "leads.csv: OK, 120 rows" in out
    text = default_model_text().replace('name = "B2B SaaS inbound (starter)"', 'name = "Ours"', 1)
    (in_tmp / "leadscore.toml").write_text(text, encoding="utf-8")
    code, out, _ = run("check")
    assert (code, out.splitlines()[0].split(":")[0]) == (0, "leadscore.toml")
    assert "model 'Ours'" in out


def test_check_refuses_a_file_without_the_needed_columns(in_tmp: Path) -> None:
    (in_tmp / "b2b.toml").write_text(default_model_text(), encoding="utf-8")
    pl.DataFrame({"lead_id": ["a"], "jobtitle": ["CEO"]}).write_csv(in_tmp / "few.csv")
    code, _, err = run("check", "b2b.toml", "--input", "few.csv")
    assert code == 1
    assert "are not in few.csv: 'job_title' (did you mean 'jobtitle'?), " in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", "leads.csv"], "leads.csv is a leads file, not a model: give it with --input, "
         "e.g. leadscore check --input leads.csv (checks it against the built-in model)"),
        (["check", "export"], "export is a leads file, not a model: give it with --input, "
         "e.g. leadscore check --input export (checks it against the built-in model)"),
        (["check", "api.out"], "api.out is a leads file, not a model: give it with --input, "
         "e.g. leadscore check --input api.out (checks it against the built-in model)"),
        (["check", "leads.csv", "-i", "b2b.toml"], "leads.csv is a leads file, not a model: give it with "
         "--input, e.g. leadscore check b2b.toml --input leads.csv (checks it against b2b.toml)"),
    ],
)  # fmt: skip
def test_check_names_a_leads_file_given_as_the_model(
    leads_csv: Path, in_tmp: Path, args: list[str], said: str
) -> None:
    (in_tmp / "export").write_bytes(leads_csv.read_bytes())  # no extension: known by its header row
    (in_tmp / "api.out").write_text('[\n  {"lead_id": "L0001"}\n]\n', encoding="utf-8")
    (in_tmp / "b2b.toml").write_text(default_model_text(), encoding="utf-8")
    code, _, err = run(*args)
    assert (code, err.strip().splitlines()) == (2, [f"Error: {said}"])


def test_check_reads_a_model_saved_as_txt(in_tmp: Path) -> None:
    (in_tmp / "b2b.toml.txt").write_text(default_model_text(), encoding="utf-8")  # as Notepad saves it
    code, out, err = run("check", "b2b.toml.txt")
    assert code == 0, err
    assert out.startswith("b2b.toml.txt: OK, model 'B2B SaaS inbound (starter)'")


def test_check_runs_event_rules_on_the_activity_log(in_tmp: Path) -> None:
    samples = Path(__file__).parents[1] / "sample_data"
    model, leads = str(samples / "b2b_events.toml"), str(samples / "leads.csv")
    code, _, err = run("check", model, "--input", leads)
    assert code == 2
    assert "read an activity log; give it with --events activity.csv" in err
    code, out, _ = run("check", model, "--input", leads, "--events", str(samples / "activity.csv"),
                       "--as-of", "2026-11-01")  # fmt: skip
    assert code == 0, out
    assert "events in " in out and "are after 2026-11-01 (the as-of date) and were ignored" in out
    pl.DataFrame({"lead_id": ["L0001"], "type": ["demo_request"], "timestamp": ["2026-10-01"]}).write_csv(
        "log.csv"
    )
    code, _, err = run("check", model, "--input", leads, "--events", "log.csv")
    assert code == 1
    assert "events column 'event' is not in log.csv" in err


@pytest.mark.parametrize("name", ["crm export.csv", "leads.xlsx"])
def test_init_given_a_leads_file_asks_for_from(in_tmp: Path, name: str) -> None:
    if name.endswith(".csv"):
        (in_tmp / name).write_text("lead_id,title\nL1,CEO\n", encoding="utf-8")
    code, _, err = run("init", name)
    assert code == 2
    assert err.strip() == (
        f"Error: '{name}' is a file, not a folder: to write a model that reads its columns, give it with "
        f"--from, e.g. leadscore init --from {shell_arg(name)}"
    )
    assert not (in_tmp / "leadscore.toml").exists() and not (in_tmp / "leads.xlsx").exists()


def test_init_writes_a_model_and_leads_that_score(in_tmp: Path) -> None:
    code, out, _ = run("init")
    assert code == 0
    assert "wrote leadscore.toml" in out
    assert (in_tmp / "leadscore.toml").read_text(encoding="utf-8") == default_model_text()
    code, _, err = run("score", "sample_leads.csv", "-q")
    assert code == 0, err
    code, _, err = run("init")
    assert code == 2
    assert "leadscore.toml, sample_leads.csv already exist; use --force" in err
    (in_tmp / "sample_leads.csv").unlink()
    assert "Error: leadscore.toml already exists; use --force" in run("init")[2]


def test_explain_right_after_score_needs_only_the_id(leads_csv: Path, in_tmp: Path) -> None:
    assert run("score", str(leads_csv), "--as-of", "2026-11-01", "-q")[0] == 0
    scored = pl.read_csv(in_tmp / "leads.scored.csv", infer_schema=False)
    top = scored.row(0, named=True)
    code, out, err = run("explain", top["lead_id"], "--json")
    assert code == 0, err
    data = json.loads(out)
    assert str(data["score"]) == top["score"]
    assert data["tier"] == top["tier"]
    assert data["as_of"] == "2026-11-01"
    code, out, _ = run("explain", top["lead_id"])
    assert code == 0
    assert f"{top['lead_id']}  score {top['score']}" in out


def test_explain_says_when_a_file_of_the_last_run_changed_since(leads_csv: Path, in_tmp: Path) -> None:
    """The model edited after the run: explain reads it as it is now, and says so, as its score
    may no longer be the scored file's. A model given with -m is the user's choice: no note."""
    (in_tmp / "leadscore.toml").write_text(default_model_text(), encoding="utf-8")
    assert run("score", str(leads_csv), "--as-of", "2026-11-01", "-q")[0] == 0
    lead = pl.read_csv(in_tmp / "leads.scored.csv", infer_schema=False)["lead_id"][0]
    assert run("explain", lead)[::2] == (0, "")
    model = default_model_text().replace("points = 25", "points = 40", 1)
    assert model != default_model_text()
    (in_tmp / "leadscore.toml").write_text(model, encoding="utf-8")
    code, _, err = run("explain", lead)
    assert code == 0
    assert err == (
        f"note: {in_tmp / 'leadscore.toml'} changed after the last 'leadscore score' run; this explanation "
        "reads it as it is now, so it may not match the scored file (score again to match)\n"
    )
    assert run("explain", lead, "--json", "-m", "leadscore.toml")[2] == ""
    leads_csv.write_text(leads_csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert f"note: {leads_csv} changed after" in run("explain", lead, "-m", "leadscore.toml")[2]


def test_explain_unknown_id_suggests_close_ids(leads_csv: Path) -> None:
    code, _, err = run("explain", "L00I2", "--input", str(leads_csv))
    assert code == 1
    assert "lead 'L00I2' is not in" in err
    assert "did you mean" in err


def test_explain_shows_the_leads_it_finds_before_the_error_for_the_others(leads_csv: Path) -> None:
    code, out, err = run("explain", "L0001", "NOPE", "L0002", "--input", str(leads_csv), "--json")
    assert code == 1
    assert [json.loads(line)["lead_id"] for line in out.splitlines()] == ["L0001", "L0002"]
    assert err.startswith(f"Error: lead 'NOPE' is not in {leads_csv}")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["explain", "L0001", "my leads.csv"], "'my leads.csv' is a file, not a lead id: give the leads file with -i, "
         "e.g. leadscore explain L0001 -i \"my leads.csv\""),
        (["explain", "b2b.toml", "L0001", "L0002"], "'b2b.toml' is a file, not a lead id: give the model with -m, "
         "e.g. leadscore explain L0001 L0002 -m b2b.toml"),
        (["explain", "export"], "'export' is a file, not a lead id: give the leads file with -i, "
         "e.g. leadscore explain L0042 -i export"),
    ],
)  # fmt: skip
def test_explain_names_a_file_given_as_an_id(in_tmp: Path, args: list[str], said: str) -> None:
    (in_tmp / "export").write_text("lead_id\nL0001\n", encoding="utf-8")  # a file without an extension
    code, _, err = run(*args)
    assert code == 2
    assert err.strip().splitlines() == [f"Error: {said}"]


def test_explain_without_a_previous_run_says_what_to_do(in_tmp: Path) -> None:
    code, _, err = run("explain", "L0001")
    assert code == 2
    assert "give --input leads.csv, or run 'leadscore score leads.csv'" in err


@pytest.mark.parametrize("files", [[], ["leads.csv"]])
def test_explain_after_scoring_stdin_asks_for_the_leads_file(
    leads_csv: Path, in_tmp: Path, files: list[str]
) -> None:
    leads = leads_csv.read_text(encoding="utf-8")
    if files:  # a file and stdin: explain cannot read the part that came from stdin
        (in_tmp / "leads.csv").write_text(leads, encoding="utf-8")
    scored = runner.invoke(
        app, ["score", *files, "-", "-o", "ranked.csv", "--as-of", "2026-11-01", "-q"], input=leads
    )
    assert scored.exit_code == 0, scored.stderr
    code, _, err = run("explain", "L0042")
    assert (code, err.strip().splitlines()) == (2, [
        "Error: the last 'leadscore score' in this folder read its leads from standard input, which explain "
        "cannot read again; give it the same leads with --input, e.g. leadscore explain L0042 --input leads.csv "
        "(that run's model and as-of date are kept)"
    ])  # fmt: skip
    code, out, err = run("explain", "L0042", "--input", str(leads_csv), "--json")
    assert code == 0, err
    assert json.loads(out)["as_of"] == "2026-11-01"


def test_every_command_has_help_text() -> None:
    code, _out, _ = run("--help")
    assert code == 0
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"command {name} has no help text"
        assert run(name, "--help")[0] == 0


def test_every_option_says_what_it_takes_in_words() -> None:
    """No programmer's type names (<str>, <list[str]>, <%Y-%m-%d>) in the options' help."""
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        options = run(name, "--help")[1].split("\nOptions:\n")[1]
        for jargon in ("<str>", "<list[", "<int", "<float", "%Y", "<path>", "<datetime>"):
            assert jargon not in options, f"leadscore {name} --help shows {jargon}"


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out.startswith("leadscore ")


def test_stdin_is_read_as_csv(leads_csv: Path) -> None:
    result = runner.invoke(
        app, ["score", "-", "-o", "-", "--quiet"], input=leads_csv.read_text(encoding="utf-8")
    )
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 121


@pytest.mark.parametrize(("keep", "expected"), [("first", "0"), ("last", "25")])
def test_explain_shows_the_row_of_a_repeated_id_that_score_kept(
    in_tmp: Path, keep: str, expected: str
) -> None:
    Path("m.toml").write_text(
        '[model]\nname = "t"\n[[rules]]\nname = "Demo"\ndimension = "engagement"\n'
        'column = "demo"\nequals = true\npoints = 25\n',
        encoding="utf-8",
    )
    Path("dup.csv").write_text("lead_id,demo\nD1,no\nD1,yes\nD2,no\n", encoding="utf-8")
    assert run("score", "dup.csv", "-m", "m.toml", "--dedupe", keep, "-o", "out.csv", "-q")[0] == 0
    written = pl.read_csv("out.csv", infer_schema=False).filter(pl.col("lead_id") == "D1")
    assert written["score"].to_list() == [expected]
    code, out, err = run("explain", "D1", "--json")
    assert code == 0, err
    assert [str(json.loads(line)["score"]) for line in out.splitlines()] == [expected]


def test_an_activity_log_given_to_a_model_without_event_rules_is_named(in_tmp: Path) -> None:
    repo = Path(__file__).parents[1] / "sample_data"
    leads, log = str(repo / "leads.csv"), str(repo / "activity.csv")
    code, _, err = run("score", leads, "--events", log, "-o", "with.csv", "--as-of", "2026-11-01")
    assert code == 0, err
    assert f"note: --events {log}: the model has no event rules" in err
    assert run("score", leads, "-o", "without.csv", "--as-of", "2026-11-01", "-q")[0] == 0
    assert (in_tmp / "with.csv").read_bytes() == (in_tmp / "without.csv").read_bytes()
    code, _, err = run("score", leads, "-m", str(repo / "b2b_events.toml"), "--events", log, "-o", "e.csv")
    assert code == 0, err
    assert "has no event rules" not in err


def test_score_remembers_the_activity_log_for_event_models(in_tmp: Path) -> None:
    repo = Path(__file__).parents[1] / "sample_data"
    model, leads, log = (str(repo / n) for n in ("b2b_events.toml", "leads.csv", "activity.csv"))
    assert run("score", leads, "-m", model, "--events", log, "-q")[0] == 0
    code, _, err = run("score", leads, "-m", model, "-o", "again.csv")
    assert code == 0, err
    assert "note: using the activity log of the last run" in err
    assert (in_tmp / "again.csv").read_bytes() == (in_tmp / "leads.scored.csv").read_bytes()


def test_event_model_without_a_log_is_a_usage_error(in_tmp: Path) -> None:
    repo = Path(__file__).parents[1] / "sample_data"
    code, _, err = run("score", str(repo / "leads.csv"), "-m", str(repo / "b2b_events.toml"))
    assert code == 2
    assert err.startswith("Error: rules 'Pricing page views', 'Product pages'")
    assert "give it with --events activity.csv" in err
