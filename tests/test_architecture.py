"""The layering the design promises: the core never reaches up into the CLI or the report."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadscore.cli.score import ALLOCATOR_SETTINGS

PACKAGE = Path(__file__).parents[1] / "leadscore"
ROW_WISE = ("map_elements", "iter_rows", ".apply(")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if not {"cli", "report"} & set(p.relative_to(PACKAGE).parts)]


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_never_imports_the_cli_typer_or_rich(path: Path) -> None:
    bad = {
        m
        for m in imports_of(path)
        if m.split(".")[0] in ("typer", "rich", "click") or m.startswith("leadscore.cli")
    }
    assert not bad, f"{path.name} imports {bad}"


def test_only_the_report_package_imports_rich() -> None:
    users = {p for p in PACKAGE.rglob("*.py") if any(m.split(".")[0] == "rich" for m in imports_of(p))}
    assert all("report" in p.relative_to(PACKAGE).parts for p in users), users


@pytest.mark.parametrize(
    "path",
    core_modules(),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_row_by_row_code_in_the_scoring_path(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not [w for w in ROW_WISE if w in text]


def test_help_does_not_load_polars() -> None:
    """Start-up stays fast: the CLI imports Polars only when a command runs."""
    code = "import sys; from leadscore.cli import app; print('polars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_quiet_score_run_does_not_load_rich(tmp_path: Path) -> None:
    """A nightly --quiet run prints nothing, so it skips loading the report's library (0.3 s)."""
    sample = Path(__file__).parents[1] / "sample_data" / "leads.csv"
    code = (
        "import sys\nfrom leadscore.cli import main\n"
        f"sys.argv = ['leadscore', 'score', {str(sample)!r}, '-o', 'ranked.csv', '--quiet']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('rich' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert done.stdout.strip() == "False"
    assert (tmp_path / "ranked.csv").exists()


@pytest.mark.parametrize("streaming", [False, True])
def test_a_score_run_sets_the_allocator_before_polars_starts(tmp_path: Path, streaming: bool) -> None:
    """Polars adds its own allocator settings in front of what it finds when it is imported, so
    finding them in front of ours shows ours came first. A user's own settings stay last, so
    they win. A streaming run keeps Polars' settings: returning memory sooner only slowed it."""
    sample = Path(__file__).parents[1] / "sample_data" / "leads.csv"
    options = ["-o", "ranked.csv", "--quiet", *(["--streaming"] if streaming else [])]
    code = (
        "import os, sys\nfrom leadscore.cli import main\n"
        f"sys.argv = ['leadscore', 'score', {str(sample)!r}, *{options!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(os.environ['_RJEM_MALLOC_CONF'])"
    )
    env = {**os.environ, "_RJEM_MALLOC_CONF": "muzzy_decay_ms:1000"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, check=True
    )
    settings = done.stdout.strip().split(",")
    assert settings[-1] == "muzzy_decay_ms:1000"
    ours = ALLOCATOR_SETTINGS.split(",")
    if streaming:
        assert not set(ours) & set(settings[:-1]) and len(settings) > 1  # Polars' own, then the user's
    else:
        assert settings[-1 - len(ours) : -1] == ours and len(settings) > len(ours) + 1
