from dagster import TableColumn, TableColumnConstraints, TableSchema, asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager

# The primary key (PRIMARY_KEYS in primary_keys.py), declared where Dagster's catalog shows it.
PRIMARY_KEY = TableSchema(columns=[TableColumn("payment_id", constraints=TableColumnConstraints(nullable=False, unique=True))])


@asset(io_manager_def=duckdb_io_manager, metadata={"dagster/column_schema": PRIMARY_KEY})
def stg_payments(raw_payments: str) -> str:
    "Payments in dollars (the raw table stores cents)."

    jinja_query = """
    with source as (
        select * from {{ raw_payments }}
    ),

    renamed as (
        select
            id as payment_id,
            order_id,
            payment_method,
            amount / 100 as amount
        from source
    )

    select * from renamed
    """

    return jinja_query
