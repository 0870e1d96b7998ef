from dagster import TableColumn, TableColumnConstraints, TableSchema, asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager

# The primary key (PRIMARY_KEYS in primary_keys.py), declared where Dagster's catalog shows it.
PRIMARY_KEY = TableSchema(columns=[TableColumn("id", constraints=TableColumnConstraints(nullable=False, unique=True))])


@asset(io_manager_def=duckdb_io_manager, metadata={"dagster/column_schema": PRIMARY_KEY})
def raw_customers() -> str:
    "The raw customers table, loaded from the shop's CSV export."

    return "select * from read_csv_auto('data/raw_customers.csv')"
