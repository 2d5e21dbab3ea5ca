"""The command line with segments, adjustments, routing, accounts, and the source report."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from leadscore.cli import app

runner = CliRunner()
SAMPLE = Path(__file__).parents[1] / "sample_data"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def segments(in_tmp: Path) -> Path:
    for name in ("segments.toml", "enterprise.toml", "smb.toml", "adjustments.csv"):
        shutil.copy(SAMPLE / name, in_tmp / name)
    return in_tmp / "segments.toml"


def scored(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def test_score_with_segments_routing_and_accounts(leads_csv: Path, segments: Path, in_tmp: Path) -> None:
    code, out, err = run(
        "score", str(leads_csv), "-m", "segments.toml", "--as-of", "2026-11-01", "--accounts", "company"
    )
    assert code == 0, err
    frame = scored(in_tmp / "leads.scored.csv")
    assert frame.columns[frame.columns.index("segment") :] == [
        "segment", "score", "fit_score", "engagement_score", "tier", "qualified", "rank", "reasons",
    ]  # fmt: skip
    assert set(frame["segment"].to_list()) == {"Enterprise", "Partners", "SMB"}
    qualified = frame.filter(pl.col("qualified") == "true")
    assert qualified["owner"].null_count() == 0  # every qualified lead has an owner
    accounts = scored(in_tmp / "leads.scored.accounts.csv")
    assert accounts.columns[:3] == ["rank", "company", "leads"]
    assert accounts["leads"].cast(pl.Int64).sum() == frame.height
    for heading in ("Segments (first match wins)", "Tiers by segment", "Routing of qualified leads to 'owner'",
                    "accounts by 'company'", "Rules: Enterprise", "Rules: SMB"):  # fmt: skip
        assert heading in out, heading


def test_owners_are_the_same_on_every_run_and_kept_unless_reassigned(
    leads_csv: Path, segments: Path, in_tmp: Path
) -> None:
    run("score", str(leads_csv), "-m", "segments.toml", "--as-of", "2026-11-01", "-o", "a.csv", "-q")
    run("score", str(leads_csv), "-m", "segments.toml", "--as-of", "2026-11-01", "-o", "b.csv", "-q")
    assert (in_tmp / "a.csv").read_bytes() == (in_tmp / "b.csv").read_bytes()
    before = scored(leads_csv).select("lead_id", pl.col("owner").alias("before"))
    after = scored(in_tmp / "a.csv").join(before, on="lead_id")
    had = after.filter(pl.col("before").is_not_null())
    assert had.height and (had["owner"] == had["before"]).all()
    code, _, _ = run(
        "score",
        str(leads_csv),
        "-m",
        "segments.toml",
        "--as-of",
        "2026-11-01",
        "-o",
        "c.csv",
        "-q",
        "--reassign",
    )
    moved = scored(in_tmp / "c.csv").join(before, on="lead_id").filter(pl.col("before").is_not_null())
    assert code == 0 and (moved["owner"] != moved["before"]).any()


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        (
            "--accounts-output",
            "nowhere/acc.csv",
            "cannot write nowhere/acc.csv: the folder nowhere does not exist",
        ),
        (
            "--changes",
            "nowhere/changes.csv",
            "cannot write nowhere/changes.csv: the folder nowhere does not exist",
        ),
        ("-o", "folder", "folder is a folder; give a file name for the output"),
    ],
)
def test_a_run_refused_for_one_output_writes_none_of_them(
    leads_csv: Path, in_tmp: Path, option: str, value: str, error: str
) -> None:
    """The nightly run compares with last night's file and replaces it: a run that stops must
    leave that file as it was, whichever output stopped it."""
    (in_tmp / "folder").mkdir()
    shutil.copy(leads_csv, in_tmp / "before.csv")
    assert run("score", str(leads_csv), "-o", "ranked.csv", "-q")[0] == 0
    last_night = (in_tmp / "ranked.csv").read_bytes()
    outputs = {"-o": "ranked.csv", option: value}
    args = ["before.csv", "--accounts", "company", "--previous", "ranked.csv"]
    code, _, err = run("score", *args, *(a for pair in outputs.items() for a in pair))
    assert code == 2
    assert err.startswith(f"Error: {error}")
    assert (in_tmp / "ranked.csv").read_bytes() == last_night
    assert not (in_tmp / "ranked.accounts.csv").exists()


def test_accounts_output_follows_its_extension_and_needs_a_column(
    leads_csv: Path, segments: Path, in_tmp: Path
) -> None:
    code, _, err = run(
        "score",
        str(leads_csv),
        "-o",
        "ranked.xlsx",
        "--accounts",
        "company",
        "--accounts-output",
        "acc.parquet",
        "-q",
    )
    assert code == 0, err
    assert pl.read_parquet(in_tmp / "acc.parquet").columns[1] == "company"
    code, _, err = run("score", str(leads_csv), "--accounts-output", "acc.csv")
    assert code == 2
    assert err == "Error: --accounts-output needs --accounts COLUMN (the column naming each lead's account)\n"
    code, _, err = run("score", str(leads_csv), "--accounts", "company", "--accounts-output", "acc.txt")
    assert code == 2
    assert err.startswith(
        "Error: cannot write '.txt' files (acc.txt); give --accounts-output a name ending in "
    )
    code, _, err = run("score", str(leads_csv), "--accounts", "compnay", "-q")
    assert code == 1
    assert "--accounts: column 'compnay' is not in the leads (did you mean 'company'?)" in err


def test_adjustments_show_in_reasons_and_explain_remembers_them(
    leads_csv: Path, segments: Path, in_tmp: Path
) -> None:
    lead = scored(leads_csv)["lead_id"][0]
    (in_tmp / "adj.csv").write_text(
        f"lead_id,points,reason,by,expires\n{lead},15,Met at trade show,tom@acme.test,2027-01-31\n"
        f"{lead},-5,Slow to answer,ana@acme.test,2026-10-01\nL999999,10,Typo,ana@acme.test,\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "score", str(leads_csv), "-m", "segments.toml", "--as-of", "2026-11-01", "--adjustments", "adj.csv"
    )
    assert code == 0, err
    row = scored(in_tmp / "leads.scored.csv").filter(pl.col("lead_id") == lead)
    assert row["adjustment_score"].item() == "15"
    assert "1 adjustment in adj.csv expired before 2026-11-01 and was ignored" in err
    assert "1 adjustment in adj.csv names a lead that is not in the leads ('L999999')" in err
    assert "Adjustments" in out
    code, out, err = run("explain", lead)
    assert code == 0, err
    assert "Segment: " in out
    assert "Sales adjustments" in out and "Met at trade show" in out and "tom@acme.test" in out
    assert "Slow to answer" not in out


def test_explain_says_which_segment_and_why(leads_csv: Path, segments: Path) -> None:
    leads = scored(leads_csv).with_columns(
        size=pl.col("company_size").str.replace_all(",", "").cast(pl.Float64, strict=False)
    )
    big = leads.filter(pl.col("size") >= 1000)["lead_id"][0]
    code, out, err = run("explain", big, "-i", str(leads_csv), "-m", "segments.toml", "--as-of", "2026-11-01")
    assert code == 0, err
    assert "Segment: Enterprise (company_size " in out and "≥ 1000)" in out


def test_check_names_every_problem_of_every_model_file(segments: Path, in_tmp: Path) -> None:
    (in_tmp / "smb.toml").write_text(
        '[model]\nname = "SMB"\n[[rules]]\nname = "x"\ndimension = "fit"\n', encoding="utf-8"
    )
    code, _, err = run("check", "segments.toml")
    assert code == 1
    assert err.startswith("Error: segments.toml has 2 problems:\n")
    assert (
        "  - segment 'SMB' (#3): smb.toml: rule 'x' (#1): needs points = N (given once) or points_per_unit = N"
        in err
    )


def test_check_warns_about_segments_that_never_match(leads_csv: Path, segments: Path, in_tmp: Path) -> None:
    text = segments.read_text(encoding="utf-8")
    extra = (
        '\n[[segments]]\nname = "Late"\nwhen = { column = "country", equals = "Spain" }\nmodel = "smb.toml"\n'
    )
    segments.write_text(
        text.replace(
            "# ---------------------------------------------------------------- routing",
            extra + "# -- routing",
        ),
        encoding="utf-8",
    )
    code, out, _ = run("check", "segments.toml")
    assert code == 0
    assert "warning: segment 'Late' (#4) can never match: segment 'SMB' (#3) before it has no 'when'" in out
    nobody = text.replace(
        '{ column = "company_size", gte = 1000 }', '{ column = "company_size", gte = 10000000 }'
    )
    segments.write_text(nobody, encoding="utf-8")
    code, out, _ = run("check", "segments.toml", "--input", str(leads_csv))
    assert code == 0
    assert "warning: segment 'Enterprise' (#1) matches no lead in leads.csv" in out.replace(
        str(leads_csv), "leads.csv"
    )


def test_report_by_source_prints_tables_and_writes_a_file(leads_csv: Path, in_tmp: Path) -> None:
    run("score", str(leads_csv), "-q", "--as-of", "2026-11-01")
    with_outcome = scored(in_tmp / "leads.scored.csv").with_columns(
        converted=pl.when(pl.col("qualified") == "true").then(pl.lit("yes")).otherwise(pl.lit("no"))
    )
    with_outcome.write_csv(in_tmp / "outcomes.csv")
    code, out, err = run(
        "report",
        "outcomes.csv",
        "--by",
        "lead_source",
        "--by",
        "country",
        "--target",
        "converted",
        "-o",
        "sources.xlsx",
    )
    assert code == 0, err
    assert "By lead_source" in out and "By country" in out and "Wins" in out
    written = pl.read_excel(in_tmp / "sources.xlsx")
    assert written.columns[:3] == ["by", "value", "leads"]
    assert set(written["by"].to_list()) == {"lead_source", "country"}
    assert written.filter(pl.col("by") == "country")["conversion_share"].sum() == pytest.approx(1.0, abs=1e-3)
    sheet = openpyxl.load_workbook(in_tmp / "sources.xlsx").active
    formats = {str(cell.value): below.number_format for cell, below in zip(sheet[1], sheet[2], strict=True)}
    shares = ["lead_share", "hot_share", "qualified_rate", "conversion_rate", "conversion_share"]
    assert {name: formats[name] for name in shares} == dict.fromkeys(shares, "0.0%")  # 15.6%, not 0.156
    assert formats["leads"] == formats["mean_score"] == "General"


def test_report_prints_notes_and_warnings_a_line_each(in_tmp: Path) -> None:
    scored = (
        "lead_id;score;tier;qualified;country\nA;1.200;hot;VRAI;FR\nB;20;cold;oui!;fr\nC;5;cold;FAUX;FR\n"
    )
    Path("eu.csv").write_text(scored, encoding="utf-8")
    code, out, err = run("report", "eu.csv", "--by", "country", "-q")
    assert (code, out) == (0, "")
    assert err.splitlines() == [  # --quiet keeps the warning; no note on decimal commas: none is read
        "warning: 1 of 3 values in column 'qualified' are not yes/no (e.g. 'oui!' on 1 row); "
        "they count as not qualified"
    ]
    _, out, err = run("report", "eu.csv", "--by", "country")
    assert "Qual." in out and "33%" in out  # VRAI, as French Excel writes TRUE
    assert err.splitlines()[0] == "note: column 'country': 'fr' counted as 'FR', as rules ignore capitals"


def test_report_errors_are_one_line(leads_csv: Path) -> None:
    code, _, err = run("report", str(leads_csv), "--by", "lead_sorce")
    assert code == 1
    assert "column 'score' is not in" in err and "(did you mean 'lead_source'?)" in err
    code, _, err = run("report", str(leads_csv))
    assert code == 2 and "--by" in err


def test_report_refuses_an_output_folder_that_is_not_there_before_reading(
    leads_csv: Path, in_tmp: Path
) -> None:
    """Before the leads are read, as score does: the unscored file is not what is wrong first."""
    code, _, err = run("report", str(leads_csv), "--by", "country", "-o", "nofolder/sources.csv")
    assert code == 2
    assert (
        err
        == "Error: cannot write nofolder/sources.csv: the folder nofolder does not exist; create it first\n"
    )
