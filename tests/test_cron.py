"""``leadscore score`` as a nightly job runs it: safe output, run-to-run changes, summary, logs, exit codes."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner, Result

from leadscore import __version__
from leadscore.cli import app

MESSY = Path(__file__).parent / "messy"
MODEL = Path(__file__).parent / "fixtures" / "messy_model.toml"
COLUMNS = [
    "lead_id", "name", "country", "employees", "budget", "open_rate", "visits", "last_activity",
    "demo_requested",
]  # fmt: skip
HOT = ["Spain", 1500, 2000, 40, 10, "2026-10-20", "yes"]  # 95 points: hot, qualified
# Two nights of the same CRM export (scores with the messy model as of 2026-11-01 in comments).
NIGHT_1 = [
    ["L1", "Ana", *HOT],  # 95, qualified
    ["L2", "Bob", "Germany", 10, 10, 0, 1, "2025-01-01", "no"],  # 2
    ["L3", "Cy", "Germany", 1500, 10, 0, 0, None, "no"],  # 20
    ["L4", "Di", "Germany", 10, 10, 0, 0, None, "no"],  # 0, gone the next night
    ["L5", "Ed", "Spain", 1500, 2000, 40, 0, None, "no"],  # 40, qualified
    ["L8", "Flo", "Germany", 1500, 2000, 0, 0, None, "no"],  # 30
]
NIGHT_2 = [
    ["L1", "Ana", "Germany", 10, 10, 0, 1, None, "no"],  # 2: no longer qualified
    ["L2", "Bob", *HOT],  # 95: newly qualified
    ["L3", "Cy", "Germany", 1500, 10, 0, 3, None, "no"],  # 26: up
    ["L5", "Ed", "Spain", 1500, 2000, 40, 0, None, "no"],  # 40: same
    ["L8", "Flo", "Germany", 1500, 10, 0, 0, None, "no"],  # 20: down
    ["L6", "Gus", "Germany", 10, 10, 0, 0, None, "no"],  # 0: new
    [None, "Hal", "Germany", 10, 10, 0, 0, None, "no"],  # no id: not compared
]

runner = CliRunner()


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def score(*args: str | Path) -> Result:
    return run("score", *args, "-m", MODEL, "--as-of", "2026-11-01")


def write_leads(path: Path, rows: list[list[object]]) -> Path:
    frame = pl.DataFrame(
        [[None if v is None else str(v) for v in r] for r in rows], schema=COLUMNS, orient="row"
    )
    frame.write_csv(path)
    return path


@pytest.fixture
def nights(in_tmp: Path) -> tuple[Path, Path]:
    return write_leads(in_tmp / "night1.csv", NIGHT_1), write_leads(in_tmp / "night2.csv", NIGHT_2)


def read(path: str | Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- run-to-run changes -----------------------------------------------------------------


def test_previous_adds_previous_score_tier_and_change(nights: tuple[Path, Path], in_tmp: Path) -> None:
    night1, night2 = nights
    assert score(night1, "-o", "last_night.csv", "-q").exit_code == 0
    result = score(night2, "-o", "tonight.csv", "--previous", "last_night.csv")
    assert result.exit_code == 0, result.stderr
    frame = read("tonight.csv")
    assert frame.columns[-3:] == ["previous_score", "previous_tier", "change"]
    got = {
        r[0]: r[1:]
        for r in frame.select("lead_id", "score", "previous_score", "previous_tier", "change").rows()
    }
    assert got == {
        "L2": ("95", "2", "cold", "newly_qualified"),
        "L5": ("40", "40", "warm", "same"),
        "L3": ("26", "20", "cold", "up"),
        "L8": ("20", "30", "warm", "down"),
        "L1": ("2", "95", "hot", "no_longer_qualified"),
        "L6": ("0", None, None, "new"),
        None: ("0", None, None, None),
    }


def test_new_wins_over_every_other_change_and_qualifying_over_up_or_down(in_tmp: Path) -> None:
    # L1 goes up *and* qualifies: newly_qualified; L2 goes down *and* stops qualifying: no_longer_qualified
    write_leads(in_tmp / "before.csv", [["L1", "A", "Germany", 10, 10, 0, 1, None, "no"], ["L2", "B", *HOT]])
    write_leads(in_tmp / "after.csv", [["L1", "A", *HOT], ["L2", "B", "Germany", 10, 10, 0, 1, None, "no"]])
    score("before.csv", "-o", "before.scored.csv", "-q")
    score("after.csv", "-o", "after.scored.csv", "--previous", "before.scored.csv", "-q")
    assert read("after.scored.csv")["change"].to_list() == ["newly_qualified", "no_longer_qualified"]


def test_report_lists_the_newly_qualified_leads(nights: tuple[Path, Path], in_tmp: Path) -> None:
    score(nights[0], "-o", "last_night.csv", "-q")
    out = score(nights[1], "-o", "tonight.csv", "--previous", "last_night.csv").stdout
    assert "Changes since last_night.csv" in out
    assert (
        "1 new, 1 newly qualified, 1 no longer qualified, 1 up, 1 down, 1 the same; "
        "1 no longer in the input; 1 without an id, not compared"
    ) in " ".join(out.split())
    section = out[out.index("Newly qualified: 1 lead") :].splitlines()
    assert section[1].split() == ["#", "lead_id", "name", "Score", "Was", "Tier"]
    assert section[3].split() == ["1", "L2", "Bob", "95", "2", "hot"]
    # a file of whole and fractional scores (another model, a spreadsheet) is shown as score is
    edited = read("last_night.csv").with_columns(pl.col("score").replace({"2": "2.0", "20": "20.5"}))
    edited.write_csv("edited.csv")
    out = score(nights[1], "-o", "tonight.csv", "--previous", "edited.csv").stdout
    assert out[out.index("Newly qualified: 1 lead") :].splitlines()[3].split() == [
        "1",
        "L2",
        "Bob",
        "95",
        "2",
        "hot",
    ]


def test_only_changes_writes_just_the_changed_rows(nights: tuple[Path, Path], in_tmp: Path) -> None:
    score(nights[0], "-o", "last_night.csv", "-q")
    assert (
        score(nights[1], "-o", "alert.csv", "--previous", "last_night.csv", "--only-changes", "-q").exit_code
        == 0
    )
    assert read("alert.csv")["lead_id"].to_list() == ["L2", "L3", "L8", "L1", "L6"]


def test_changes_writes_the_changed_rows_beside_the_full_file(
    nights: tuple[Path, Path], in_tmp: Path
) -> None:
    score(nights[0], "-o", "ranked.csv", "-q")
    # the nightly pattern: compare with last night's ranked file, then replace it
    result = score(
        nights[1], "-o", "ranked.csv", "--previous", "ranked.csv", "--changes", "changes.xlsx", "-q"
    )
    assert result.exit_code == 0, result.stderr
    assert read("ranked.csv").height == 7
    sheet = openpyxl.load_workbook(in_tmp / "changes.xlsx").active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["L2", "L3", "L8", "L1", "L6"]
    # the next night, with nothing changed, compares with the file that holds change columns itself
    score(nights[1], "-o", "ranked.csv", "--previous", "ranked.csv", "--changes", "changes.csv", "-q")
    assert read("ranked.csv")["change"].to_list() == ["same"] * 6 + [None]
    assert read("changes.csv").height == 0


def test_previous_written_as_xlsx_is_compared_too(nights: tuple[Path, Path], in_tmp: Path) -> None:
    score(nights[0], "-o", "last_night.xlsx", "-q")
    assert score(nights[1], "-o", "tonight.csv", "--previous", "last_night.xlsx", "-q").exit_code == 0
    assert read("tonight.csv")["change"].to_list()[:2] == ["newly_qualified", "same"]


def test_change_options_need_previous(nights: tuple[Path, Path]) -> None:
    for option in (["--only-changes"], ["--changes", "c.csv"]):
        result = score(nights[1], "-o", "out.csv", *option)
        assert result.exit_code == 2
        assert result.stderr == (
            f"Error: {option[0]} needs --previous, the file of an earlier run to compare with\n"
        )


def test_previous_that_is_missing_or_not_a_scored_file(nights: tuple[Path, Path], in_tmp: Path) -> None:
    missing = score(nights[1], "-o", "out.csv", "--previous", "last_week.csv")
    assert (missing.exit_code, missing.stderr) == (
        1,
        "Error: --previous last_week.csv: file not found; on the first run, leave out --previous\n",
    )
    wrong = score(nights[1], "-o", "out.csv", "--previous", nights[0])
    assert wrong.exit_code == 1
    assert wrong.stderr == (
        f"Error: --previous {nights[0]} has no 'score' column; give it a file that an earlier "
        "'leadscore score' run wrote with the same model\n"
    )


# --- summary JSON ---------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_summary_json_for_monitoring(nights: tuple[Path, Path], in_tmp: Path) -> None:
    score(nights[0], "-o", "last_night.csv", "-q")
    result = score(
        nights[1], "-o", "tonight.csv", "--previous", "last_night.csv", "--summary-json", "run.json", "-q"
    )
    assert result.exit_code == 0
    summary = json.loads((in_tmp / "run.json").read_text(encoding="utf-8"))
    assert (summary["status"], summary["exit_code"], summary["error"]) == ("ok", 0, None)
    assert summary["leadscore"] == __version__
    assert summary["as_of"] == "2026-11-01"
    assert summary["inputs"] == [
        {"path": str(nights[1]), "sha256": sha256(nights[1]), "bytes": nights[1].stat().st_size}
    ]
    assert summary["model"] == {"name": "messy exports", "path": str(MODEL), "sha256": sha256(MODEL)}
    assert summary["previous"]["sha256"] == sha256(in_tmp / "last_night.csv")
    assert summary["output"]["sha256"] == sha256(in_tmp / "tonight.csv")
    assert summary["rows"] == {
        "read": 7, "scored": 7, "written": 7, "rejected": 0, "blank_ids": 1, "repeated_ids": 0,
        "rows_with_repeated_ids": 0,
    }  # fmt: skip
    assert summary["tiers"] == {"hot": 1, "warm": 2, "cold": 4}
    assert (summary["qualified"], summary["newly_qualified"]) == (2, 1)
    assert summary["changes"] == {
        "new": 1, "newly_qualified": 1, "no_longer_qualified": 1, "up": 1, "down": 1, "same": 1, "gone": 1,
        "without_id": 1,
    }  # fmt: skip
    assert summary["warnings"] == [
        f"1 lead in {nights[1]} has no lead_id (data row 7); kept and scored, but --previous and explain cannot find it: give it an id in the file"
    ]
    assert set(summary["timings"]) == {"read", "score", "write", "total", "wall"}


def test_summary_checksums_the_previous_file_as_it_was_before_the_output_replaced_it(
    nights: tuple[Path, Path], in_tmp: Path
) -> None:
    score(nights[0], "-o", "ranked.csv", "-q")
    before = sha256(in_tmp / "ranked.csv")
    score(nights[1], "-o", "ranked.csv", "--previous", "ranked.csv", "--summary-json", "run.json", "-q")
    summary = json.loads((in_tmp / "run.json").read_text(encoding="utf-8"))
    assert summary["previous"]["sha256"] == before
    assert summary["output"]["sha256"] == sha256(in_tmp / "ranked.csv") != before


def test_summary_json_of_a_failed_run(in_tmp: Path) -> None:
    result = score(MESSY / "header_only.csv", "-o", "out.csv", "--summary-json", "run.json")
    assert result.exit_code == 1
    summary = json.loads((in_tmp / "run.json").read_text(encoding="utf-8"))
    assert (summary["status"], summary["exit_code"]) == ("failed", 1)
    assert summary["error"] == f"{MESSY / 'header_only.csv'} has a header but no rows; export the leads again"
    assert summary["output"] is None
    assert summary["inputs"][0]["sha256"] == sha256(MESSY / "header_only.csv")


# --- exit codes, --fail-on-warnings -----------------------------------------------------


def test_fail_on_warnings_writes_nothing_and_exits_1(in_tmp: Path) -> None:
    (in_tmp / "out.csv").write_text("yesterday\n")
    result = score(
        MESSY / "numbers_as_text.csv", "-o", "out.csv", "--fail-on-warnings", "-q", "--summary-json", "s.json"
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["warning", "warning", "Error"]
    assert lines[-1] == "Error: 2 warnings and --fail-on-warnings: nothing was written"
    assert (in_tmp / "out.csv").read_text() == "yesterday\n"
    summary = json.loads((in_tmp / "s.json").read_text(encoding="utf-8"))
    assert (summary["status"], len(summary["warnings"]), summary["tiers"]) == (
        "failed",
        2,
        {"hot": 1, "warm": 1, "cold": 1},
    )


def test_fail_on_warnings_without_warnings_is_a_normal_run(in_tmp: Path) -> None:
    assert score(MESSY / "utf8.csv", "-o", "out.csv", "--fail-on-warnings", "-q").exit_code == 0


def test_exit_codes_0_1_2(in_tmp: Path) -> None:
    assert score(MESSY / "utf8.csv", "-o", "out.csv", "-q").exit_code == 0
    assert score(MESSY / "empty.csv", "-o", "out.csv").exit_code == 1
    assert score(MESSY / "utf8.csv", "-o", "out.csv", "--dedupe", "sometimes").exit_code == 2
    assert score(MESSY / "utf8.csv", "-o", "out.txt").exit_code == 2


# --- messages and logs ----------------------------------------------------------------


def test_notes_and_warnings_are_plain_single_lines_on_stderr(in_tmp: Path) -> None:
    result = score(MESSY / "numbers_as_text.csv", "-o", "out.csv")
    assert "\x1b[" not in result.stderr  # no colour codes when stderr is not a terminal
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("warning: ") for line in lines)
    assert max(len(line) for line in lines) > 100  # long ones are not wrapped
    assert "warning" not in result.stdout.lower().replace("warnings", "")


def test_quiet_is_silent_even_with_warnings_which_still_reach_the_log(in_tmp: Path) -> None:
    result = score(MESSY / "numbers_as_text.csv", "-o", "out.csv", "-q", "--log-file", "run.log")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    log = (in_tmp / "run.log").read_text(encoding="utf-8")
    assert log.count(" WARNING rule ") == 2


def test_log_file_appends_timestamped_lines_for_each_run(in_tmp: Path) -> None:
    score(MESSY / "cp1252.csv", "-o", "out.csv", "-q", "--log-file", "run.log")
    score(MESSY / "empty.csv", "-o", "out.csv", "-q", "--log-file", "run.log")
    lines = (in_tmp / "run.log").read_text(encoding="utf-8").splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} leadscore\[\d+\] "
    assert all(re.match(stamp, line) for line in lines)
    events = [re.sub(stamp, "", line) for line in lines]
    cp1252, empty = str(MESSY / "cp1252.csv"), str(MESSY / "empty.csv")
    assert events[0] == f"INFO start: leadscore score {cp1252} (model: {MODEL})"
    assert events[1] == f"INFO input: {cp1252} (306 bytes)"
    assert (
        events[2] == f"INFO note: {cp1252}: read as Windows-1252 (not UTF-8); use --encoding to force another"
    )
    assert events[3:5] == ["INFO scored: 4 leads as of 2026-11-01", "INFO output: 4 rows to out.csv"]
    assert re.fullmatch(r"INFO end: exit 0 in \d+\.\d\d s", events[5])
    assert events[6:] == [
        f"INFO start: leadscore score {empty} (model: {MODEL})",
        f"INFO input: {empty} (0 bytes)",
        f"ERROR {empty} is empty: export the leads again, with a header row",
        "INFO end: exit 1",
    ]


# --- safe output ----------------------------------------------------------------------


def test_writer_failing_half_way_leaves_the_previous_output(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / "ranked.csv").write_bytes(b"last night's ranked leads\n")

    def half_then_fail(self: object, file: str | Path, **_: object) -> None:
        Path(file).write_text("lead_id,score\nL001,")
        raise RuntimeError("the machine went away")

    monkeypatch.setattr(pl.DataFrame, "write_csv", half_then_fail)
    monkeypatch.setattr(pl.LazyFrame, "sink_csv", half_then_fail)  # the one-pass run writes with a sink
    result = score(MESSY / "utf8.csv", "-o", "ranked.csv")
    assert result.exit_code == 1
    assert (in_tmp / "ranked.csv").read_bytes() == b"last night's ranked leads\n"
    assert temp_files(in_tmp) == []


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from leadscore.synthetic import generate_leads

    path = tmp_path_factory.mktemp("big") / "big.csv"
    generate_leads(40_000, seed=3).write_csv(path)  # its .xlsx takes over a second to write
    return path


def start_scoring(folder: Path, leads: Path) -> subprocess.Popen[bytes]:
    """Score ``leads`` to ranked.xlsx in a child process (the .xlsx writer takes a second or so)."""
    code = "from leadscore.cli import main; main()"
    command = [sys.executable, "-c", code, "score", str(leads), "-o", "ranked.xlsx", "-q"]
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_temp_file(folder: Path, child: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not temp_files(folder):
        assert child.poll() is None, "the run ended before it started writing"
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.005)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_killed_mid_write_leaves_the_previous_output_and_the_next_run_cleans_up(
    in_tmp: Path, big_csv: Path
) -> None:
    (in_tmp / "ranked.xlsx").write_bytes(b"last night's workbook")
    child = start_scoring(in_tmp, big_csv)
    wait_for_temp_file(in_tmp, child)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert (in_tmp / "ranked.xlsx").read_bytes() == b"last night's workbook"
    left = temp_files(in_tmp)
    assert len(left) == 1 and left[0].startswith(f".ranked.xlsx.{child.pid}-")  # kill -9 cannot clean up
    assert score(MESSY / "utf8.csv", "-o", "ranked.xlsx", "-q").exit_code == 0
    assert temp_files(in_tmp) == []  # the next run removed it
    assert (in_tmp / "ranked.xlsx").read_bytes()[:2] == b"PK"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_terminated_mid_write_cleans_up_and_exits_143(in_tmp: Path, big_csv: Path) -> None:
    (in_tmp / "ranked.xlsx").write_bytes(b"last night's workbook")
    child = start_scoring(in_tmp, big_csv)
    wait_for_temp_file(in_tmp, child)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 143
    assert err.decode() == "Terminated.\n"
    assert (in_tmp / "ranked.xlsx").read_bytes() == b"last night's workbook"
    assert temp_files(in_tmp) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_stop_that_comes_where_python_cannot_raise_prints_no_traceback() -> None:
    """SIGTERM while Python runs a __del__ (or a compiled library's callback): the exception is
    lost, the request is kept, and stderr holds no 'Exception ignored' traceback; other lost
    exceptions are still printed."""
    code = (
        "import os, signal\n"
        "from leadscore.stop import stop_on_sigterm, stop_requested\n"
        "stop_on_sigterm()\n"
        "class Stopped:\n"
        "    def __del__(self): os.kill(os.getpid(), signal.SIGTERM)\n"
        "class Broken:\n"
        "    def __del__(self): raise ValueError('lost')\n"
        "Broken()\n"
        "Stopped()\n"
        "print(stop_requested.is_set())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout == "True\n"
    assert "ValueError: lost" in done.stderr
    assert "Terminated" not in done.stderr


def test_never_overwrites_an_input(nights: tuple[Path, Path], in_tmp: Path) -> None:
    _, night2 = nights
    cases = {
        ("-o", "night2.csv"): "refusing to overwrite the input night2.csv with output; choose another -o",
        ("--previous", "night1.csv", "--changes", "night1.csv"): (
            "refusing to overwrite the input night1.csv with the changed rows; choose another --changes"
        ),
        ("--previous", "night1.csv", "--changes", "changes.txt"): (
            "cannot write '.txt' files (changes.txt); give --changes a name ending in .csv, .xlsx, .json, "
            ".ndjson, .parquet"
        ),
        ("--summary-json", "night2.csv"): (
            "refusing to overwrite the input night2.csv with the --summary-json file; choose another --summary-json"
        ),
        ("--log-file", "night2.csv"): (
            "refusing to overwrite the input night2.csv with the --log-file file; choose another --log-file"
        ),
        ("--skip-bad-rows", "--rejects", "night2.csv"): (
            "refusing to overwrite the input night2.csv with the --rejects file; choose another --rejects"
        ),
    }
    before = night2.read_bytes()
    for options, message in cases.items():
        result = score("night2.csv", *options)
        assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    assert night2.read_bytes() == before
    summary_is_output = score("night2.csv", "-o", "out.csv", "--summary-json", "out.csv")
    assert summary_is_output.exit_code == 2


def test_never_overwrites_the_model_or_an_adjustments_file(nights: tuple[Path, Path], in_tmp: Path) -> None:
    model = in_tmp / "model.toml"
    model.write_bytes(Path(MODEL).read_bytes())
    adjustments = in_tmp / "adj.csv"
    adjustments.write_text("lead_id,points,reason\nL1,5,call\n", encoding="utf-8")
    common = ["score", "night2.csv", "-m", "model.toml", "--adjustments", "adj.csv", "--as-of", "2026-11-01"]
    cases = {
        (
            "--log-file",
            "model.toml",
        ): "the input model.toml with the --log-file file; choose another --log-file",
        (
            "--summary-json",
            "adj.csv",
        ): "the input adj.csv with the --summary-json file; choose another --summary-json",
        ("-o", "adj.csv"): "the input adj.csv with output; choose another -o",
    }
    for options, message in cases.items():
        result = run(*common, *options)
        assert (result.exit_code, result.stderr) == (2, f"Error: refusing to overwrite {message}\n")
    sql = run("sql", "model.toml", "--table", "leads", "-o", "model.toml")
    assert (sql.exit_code, sql.stderr) == (
        2,
        "Error: refusing to overwrite the input model.toml with the SQL; choose another -o\n",
    )
    assert model.read_bytes() == Path(MODEL).read_bytes()
    assert adjustments.read_text(encoding="utf-8").startswith("lead_id,points")


def test_formula_like_cells_stay_text(in_tmp: Path) -> None:
    source = MESSY / "formula_injection.csv"
    score(source, "-o", "plain.csv", "-q")
    names = set(read("plain.csv")["name"].to_list())
    assert names == {'=HYPERLINK("http://evil.test","click")', "+34 600 000 000", "-Eve", "@SUM(A1:A9)"}
    score(source, "-o", "safe.csv", "--safe-csv", "-q")
    safe = set(read("safe.csv")["name"].to_list())
    assert safe == {'\'=HYPERLINK("http://evil.test","click")', "'+34 600 000 000", "'-Eve", "'@SUM(A1:A9)"}
    score(source, "-o", "out.xlsx", "-q")
    sheet = openpyxl.load_workbook(in_tmp / "out.xlsx").active
    assert sheet is not None
    cells = [row[1] for row in sheet.iter_rows(min_row=2, max_col=2)]
    assert {c.value for c in cells} == names
    assert {c.data_type for c in cells} == {"s"}  # text, never a formula ("f")


@pytest.mark.parametrize("extension", ["csv", "xlsx", "json", "parquet"])
def test_same_input_model_and_as_of_give_the_same_bytes(
    nights: tuple[Path, Path], in_tmp: Path, extension: str
) -> None:
    score(nights[0], "-o", "last.csv", "-q")
    for name in ("a", "b"):
        result = score(nights[1], "-o", f"{name}.{extension}", "--previous", "last.csv", "-q")
        assert result.exit_code == 0
    assert (in_tmp / f"a.{extension}").read_bytes() == (in_tmp / f"b.{extension}").read_bytes()


@pytest.mark.parametrize("command", ["score", "explain"])
def test_a_reader_that_stops_early_ends_the_run_quietly(in_tmp: Path, command: str) -> None:
    """``leadscore score leads.csv -o - | head``: exit 141, as tools SIGPIPE stops, and no message."""
    sample = Path(__file__).parents[1] / "sample_data" / "leads.csv"
    args = (
        ["score", str(sample), "-o", "-"] if command == "score" else ["explain", "L0042", "-i", str(sample)]
    )
    code = "from leadscore.cli import main; main()"
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.readline()
    child.stdout.close()  # as head does once it has its lines
    errors = child.stderr.read().decode()
    child.stderr.close()
    assert (child.wait(timeout=60), [e for e in errors.splitlines() if e.startswith("Error")]) == (141, [])


def test_scoring_a_scored_file_again_is_one_note_not_warnings(
    nights: tuple[Path, Path], in_tmp: Path
) -> None:
    assert score("night2.csv", "-o", "ranked.csv", "-q").exit_code == 0
    again = score("ranked.csv", "-o", "again.csv")
    assert again.exit_code == 0, again.stderr
    assert not [line for line in again.stderr.splitlines() if "replaced" in line and "warning" in line]
    notes = [line for line in again.stderr.splitlines() if "scored before" in line]
    assert notes == [
        "note: the leads were scored before: their 'score', 'fit_score', 'engagement_score', 'tier', "
        "'qualified', 'rank', 'reasons' are replaced by the new ones"
    ]
    assert read("again.csv").equals(read("ranked.csv"))
