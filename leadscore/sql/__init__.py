"""Compile a points model into SQL for a warehouse (DuckDB, PostgreSQL, Snowflake, BigQuery, Spark).

::

    from leadscore import load_model
    from leadscore.sql import Dialect, SqlOptions, compile_sql

    text = compile_sql(load_model("b2b.toml"), SqlOptions(table="crm.leads", dialect=Dialect.snowflake))

Names are imported on first use, so that the command line's ``--help`` does not load sqlglot.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from leadscore.sql.warehouses import Dialect

_LAZY = {
    "SqlOptions": "leadscore.sql.compile",
    "build_query": "leadscore.sql.compile",
    "compile_sql": "leadscore.sql.compile",
    "Kind": "leadscore.sql.readings",
}

if TYPE_CHECKING:
    from leadscore.sql.compile import SqlOptions, build_query, compile_sql
    from leadscore.sql.readings import Kind


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'leadscore.sql' has no attribute {name!r}")


__all__ = ["Dialect", "Kind", "SqlOptions", "build_query", "compile_sql"]
