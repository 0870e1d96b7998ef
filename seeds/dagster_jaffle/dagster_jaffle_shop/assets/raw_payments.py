from dagster import asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager


@asset(io_manager_def=duckdb_io_manager)
def raw_payments() -> str:
    "The raw payments table, loaded from the shop's CSV export."

    return "select * from read_csv_auto('data/raw_payments.csv')"
