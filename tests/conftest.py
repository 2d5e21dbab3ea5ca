"""Shared fixtures: small leads files written the way users' exports look."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import settings

from leadscore.synthetic import generate_leads

settings.register_profile("default", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run the test inside an empty folder (score writes its output and state there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def leads_frame() -> pl.DataFrame:
    return generate_leads(120, seed=42)


@pytest.fixture
def leads_csv(in_tmp: Path, leads_frame: pl.DataFrame) -> Path:
    path = in_tmp / "leads.csv"
    leads_frame.write_csv(path)
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    """A connection to a throwaway PostgreSQL server; the test skips, saying why, when none can start."""
    psycopg = pytest.importorskip("psycopg")
    from tests.postgres_server import Unavailable, start

    try:
        server_cm = start()
        server = server_cm.__enter__()
    except Unavailable as exc:
        pytest.skip(f"PostgreSQL server not available: {exc}")
    try:
        with psycopg.connect(server.conninfo, autocommit=True) as conn:
            yield conn
    finally:
        server_cm.__exit__(None, None, None)
