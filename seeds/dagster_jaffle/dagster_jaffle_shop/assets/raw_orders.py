from dagster import asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager


@asset(io_manager_def=duckdb_io_manager)
def raw_orders() -> str:
    "The raw orders table, loaded from the shop's CSV export."

    return "select * from read_csv_auto('data/raw_orders.csv')"
