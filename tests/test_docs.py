"""Docs are part of the product: every command is documented, and the README's commands are real."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from leadscore.cli import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_is_shown_in_the_readme() -> None:
    missing = [c for c in commands() if f"leadscore {c}" not in README]
    assert not missing, f"commands without an example in README.md: {missing}"


def test_readme_set_up_is_the_two_commands() -> None:
    assert "uv run leadscore score sample_data/leads.csv" in README
    assert "uv run pytest" in README


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^uv run pytest$", ci, flags=re.MULTILINE)


def test_files_the_readme_names_exist() -> None:
    named = set(re.findall(r"\b((?:sample_data|docs)/[\w./-]+\.(?:csv|toml|md))", README))
    assert named
    assert [n for n in named if not (ROOT / n).exists()] == []


def test_the_model_file_page_lists_the_crm_names_init_knows() -> None:
    from leadscore.starter import CRM_NAMES

    page = (ROOT / "docs" / "model-file.md").read_text(encoding="utf-8")
    table = page[page.index("| starter column | names it also knows |") :].split("\n\n")[0]
    rows = re.findall(r"^\| `(\w+)` \| (.*) \|$", table, flags=re.MULTILINE)
    listed = {column: [n.strip(" `") for n in names.split(",")] for column, names in rows}
    assert listed == {column: list(names) for column, names in CRM_NAMES.items()}


def test_the_predictive_page_lists_every_stage_read_as_still_open() -> None:
    from leadscore.outcomes import OPEN_WORDS

    page = " ".join((ROOT / "docs" / "predictive.md").read_text(encoding="utf-8").split())
    listed = re.search(r"stages that have not ended \(([^)]*)\)", page)
    assert listed is not None
    words = {w.strip().lower() for w in listed.group(1).split(",")}
    assert words == {w for w in OPEN_WORDS if w != "in-progress"}  # the hyphen is a spelling of one
