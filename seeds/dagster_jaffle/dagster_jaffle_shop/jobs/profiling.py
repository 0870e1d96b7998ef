"""A job that profiles every table in DuckDB and checks the primary keys, logging the results as asset metadata."""
import duckdb
from dagster import AssetKey, AssetObservation, MetadataValue, OpExecutionContext, job, op
from pandas_profiling import ProfileReport

from dagster_jaffle_shop.io_managers import DUCKDB_PATH
from dagster_jaffle_shop.primary_keys import PRIMARY_KEYS


@op
def profile_tables(context: OpExecutionContext) -> None:
    with duckdb.connect(DUCKDB_PATH, read_only=True) as conn:
        for (table,) in conn.execute("select table_name from information_schema.tables").fetchall():
            frame = conn.execute(f"select * from {table}").df()
            report = ProfileReport(frame, minimal=True)
            context.log_event(
                AssetObservation(
                    asset_key=AssetKey(table),
                    metadata={"rows": len(frame), "profile": MetadataValue.md(report.to_html())},
                )
            )


@op
def check_primary_keys(context: OpExecutionContext) -> None:
    with duckdb.connect(DUCKDB_PATH, read_only=True) as conn:
        for table, column in PRIMARY_KEYS.items():
            nulls, duplicates = conn.execute(
                f"select count(*) - count({column}), count({column}) - count(distinct {column}) from {table}"
            ).fetchone()
            context.log_event(
                AssetObservation(
                    asset_key=AssetKey(table),
                    metadata={"primary_key": column, "null_keys": nulls, "duplicate_keys": duplicates},
                )
            )


@job
def profiling_job():
    profile_tables()
    check_primary_keys()
