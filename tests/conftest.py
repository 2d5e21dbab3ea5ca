"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


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
