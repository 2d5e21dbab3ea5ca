"""What evaluate tells a user about a model: threshold advice, warnings, the gains table, --quiet."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sklearn.metrics import roc_auc_score
from typer.testing import CliRunner

from leadscore.cli import app

PLAN_MODEL = """[model]
name = "Plans"

[qualify]
min_score = 10

[[rules]]
name = "Enterprise"
dimension = "fit"
column = "plan"
equals = "enterprise"
points = 20

[[rules]]
name = "Pro"
dimension = "fit"
column = "plan"
equals = "pro"
points = 10
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 leads on three plans: 6 enterprise, 82 pro, 112 free; the better the plan, the likelier a sale."""
    path = tmp_path_factory.mktemp("evaluate")
    rows = ["lead_id,plan,converted"]
    for i in range(200):
        plan = "enterprise" if i < 6 else "pro" if i < 88 else "free"
        converted = i < 3 or 6 <= i < 46 or 88 <= i < 100
        rows.append(f"L{i:03d},{plan},{'yes' if converted else 'no'}")
    (path / "history.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (path / "plans.toml").write_text(PLAN_MODEL, encoding="utf-8")
    pro_only = PLAN_MODEL.replace('"enterprise"', '"pro"').replace("points = 20", "points = 0")
    (path / "pro.toml").write_text(pro_only, encoding="utf-8")
    flat = PLAN_MODEL.replace('"enterprise"', '"gold"').replace('"pro"', '"silver"')
    (path / "flat.toml").write_text(flat, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_line(text: str) -> str:
    return " ".join(text.split())


def evaluate(folder: Path, model: str, *more: str) -> tuple[int, str, str]:
    return run("evaluate", str(folder / "history.csv"), "-t", "converted", "-m", str(folder / model), *more)


def test_a_share_that_ties_make_unreachable_is_not_called_met(folder: Path) -> None:
    code, out, _ = evaluate(folder, "pro.toml", "--mql-rate", "0.05")
    assert code == 0
    assert "already meets the goal" not in out
    assert (
        "No min_score qualifies near 5% of leads: 41.0% of leads tie at the top score, so min_score = 10 "
        "qualifies the fewest. Now 41.0% of leads qualify and 48.8% of them converted."
    ) in one_line(out)


def test_ties_on_both_sides_of_the_goal_name_both_and_the_closest(folder: Path) -> None:
    code, out, _ = evaluate(folder, "plans.toml", "--mql-rate", "0.1")
    assert code == 0
    assert (
        "No min_score qualifies near 10% of leads: tied scores make the share jump from 3.0% (min_score = "
        "20) to 44.0% (min_score = 10); the closest is min_score = 20. Now 44.0% of leads qualify"
    ) in one_line(out)


def test_a_share_near_the_goal_is_advised_as_before(folder: Path) -> None:
    code, out, _ = evaluate(folder, "plans.toml", "--mql-rate", "0.45")
    assert code == 0
    assert "No min_score" not in out
    assert (
        "Now 44.0% of leads qualify and 48.9% of them converted: the qualify threshold already meets the goal."
        in one_line(out)
    )


def test_the_json_says_whether_the_goal_is_reached(folder: Path) -> None:
    code, out, _ = evaluate(folder, "plans.toml", "--mql-rate", "0.1", "--mql-rate", "0.45", "--json")
    assert code == 0
    advice = json.loads(out)["threshold_advice"]
    assert [(a["target"], a["selection"]["threshold"], a["reached"]) for a in advice] == [
        (0.1, 20.0, False),
        (0.45, 10.0, True),
    ]


def test_a_model_that_scores_every_lead_the_same_advises_no_threshold(folder: Path) -> None:
    code, out, _ = evaluate(folder, "flat.toml", "--mql-rate", "0.1")
    assert code == 0
    assert "min_score 0" not in out
    assert one_line(out).endswith(
        "Threshold advice (qualify on score alone) Every lead scores 0, so no min_score separates the "
        "leads: check that the model's rules match the history's columns and values."
    )


def test_a_model_that_ranks_backwards_is_warned_about(folder: Path) -> None:
    backwards = PLAN_MODEL.replace("points = 20", "points = -20").replace("points = 10", "points = -10")
    (folder / "backwards.toml").write_text(backwards, encoding="utf-8")
    code, _, err = evaluate(folder, "backwards.toml")
    assert code == 0
    history = pl.read_csv(folder / "history.csv")
    points = history["plan"].replace_strict({"enterprise": -20, "pro": -10, "free": 0}, return_dtype=pl.Int64)
    auc = roc_auc_score(history["converted"] == "yes", points)
    assert [line.rstrip() for line in err.splitlines()[:3]] == [
        "Warnings",
        f"- AUC {auc:.3f} is below 0.5: converted leads score lower than the others, so the",
        "  model ranks backwards; check the signs of the points",
    ]
    code, _, err = evaluate(folder, "plans.toml")
    assert code == 0
    assert "below 0.5" not in err


@pytest.fixture(scope="module")
def repeated(folder: Path) -> Path:
    """The history with two leads on a second row each, the second time converted."""
    lines = (folder / "history.csv").read_text(encoding="utf-8").splitlines()
    extra = [lines[150].replace(",no", ",yes"), lines[190].replace(",no", ",yes")]
    path = folder / "repeated.csv"
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


def test_repeated_lead_ids_are_warned_about_as_score_does(repeated: Path, folder: Path) -> None:
    code, out, _ = run(
        "evaluate", str(repeated), "-t", "converted", "-m", str(folder / "plans.toml"), "--json"
    )
    assert code == 0
    assert json.loads(out)["leads"] == 202
    assert json.loads(out)["warnings"][0] == (
        f"2 lead_id values are repeated in {repeated} ('L149' on 2 rows, 'L189' on 2 rows); every row is "
        "kept: use --dedupe first or --dedupe last to keep one"
    )


@pytest.mark.parametrize(("keep", "converted"), [("first", 55), ("last", 57)])
def test_dedupe_keeps_one_row_per_lead(repeated: Path, folder: Path, keep: str, converted: int) -> None:
    code, out, _ = run("evaluate", str(repeated), "-t", "converted", "-m", str(folder / "plans.toml"),
                       "--dedupe", keep, "--json")  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert (result["rows"], result["leads"], result["converted"]) == (202, 200, converted)
    assert result["warnings"][0] == (
        f"{repeated}: kept the {keep} row of each repeated lead_id and left out 2 rows "
        "('L149' on 2 rows, 'L189' on 2 rows)"
    )


def test_dedupe_error_refuses_repeated_ids(repeated: Path, folder: Path) -> None:
    code, _, err = run("evaluate", str(repeated), "-t", "converted", "-m", str(folder / "plans.toml"),
                       "--dedupe", "error")  # fmt: skip
    assert code == 1
    assert err == (
        f"Error: 2 lead_id values are repeated in {repeated} ('L149' on 2 rows, 'L189' on 2 rows); remove the "
        "repeated rows, or use --dedupe first or --dedupe last\n"
    )


def test_the_gains_table_gives_each_of_few_scores_its_band_and_fits_80_columns(folder: Path) -> None:
    # three plans, three scores: 6 leads at 20 (3 won), 82 at 10 (40 won), 112 at 0 (12 won)
    result = CliRunner().invoke(
        app, ["evaluate", str(folder / "history.csv"), "-t", "converted", "-m", str(folder / "plans.toml")],
        env={"COLUMNS": "80"},
    )  # fmt: skip
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    start = lines.index("Gains by score band (3 bands, one a score)")
    assert lines[start + 1 : start + 6] == [
        " Band  Scores   Top  Leads  Converted   Rate  Lift  Captured so far",
        "─" * 68,
        "    1      20    3%      6          3  50.0%  1.82  █ 5%",
        "    2      10   44%     82         40  48.8%  1.77  ████████ 78%",
        "    3       0  100%    112         12  10.7%  0.39  ██████████ 100%",
    ]


def test_quiet_prints_nothing_warnings_included(folder: Path) -> None:
    (folder / "quiet.toml").write_text(PLAN_MODEL.replace("points = 10", "points = -10"), encoding="utf-8")
    page = folder / "quiet.html"
    for flag in ("-q", "--quiet"):
        code, out, err = evaluate(folder, "quiet.toml", flag, "--html", str(page))
        assert (code, out, err) == (0, "", "")
        assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out, _ = evaluate(folder, "plans.toml", "-q", "--json")
    assert code == 0
    assert json.loads(out)["leads"] == 200


def test_quiet_still_prints_errors(folder: Path) -> None:
    code, out, err = run("evaluate", str(folder / "history.csv"), "-t", "convert", "-q")
    assert (code, out) == (2, "")
    assert err.startswith("Error: --target: no column 'convert'")


@pytest.mark.parametrize("command", ["fit", "evaluate"])
def test_dedupe_without_an_id_column_is_refused(folder: Path, tmp_path: Path, command: str) -> None:
    pl.read_csv(folder / "history.csv").drop("lead_id").write_csv(tmp_path / "no_ids.csv")
    more = ["-o", str(tmp_path / "x.toml")] if command == "fit" else ["-m", str(folder / "plans.toml")]
    code, _, err = run(command, str(tmp_path / "no_ids.csv"), "-t", "converted", "--dedupe", "last", *more)
    assert code == 2
    assert f"--dedupe keeps one row per lead id, but {tmp_path / 'no_ids.csv'} has no" in " ".join(
        err.split()
    )
