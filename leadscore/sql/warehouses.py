"""The warehouses leadscore writes SQL for (no sqlglot here, so the command line starts fast)."""

from __future__ import annotations

from enum import StrEnum


class Dialect(StrEnum):
    """A warehouse SQL dialect (the names are sqlglot's)."""

    duckdb = "duckdb"
    postgres = "postgres"
    snowflake = "snowflake"
    bigquery = "bigquery"
    spark = "spark"

    @property
    def label(self) -> str:
        return {
            "duckdb": "DuckDB",
            "postgres": "PostgreSQL",
            "snowflake": "Snowflake",
            "bigquery": "BigQuery",
            "spark": "Spark SQL",
        }[self.value]
