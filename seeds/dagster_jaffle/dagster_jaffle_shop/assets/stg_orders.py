from dagster import TableColumn, TableColumnConstraints, TableSchema, asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager

# The primary key (PRIMARY_KEYS in primary_keys.py), declared where Dagster's catalog shows it.
PRIMARY_KEY = TableSchema(columns=[TableColumn("order_id", constraints=TableColumnConstraints(nullable=False, unique=True))])


@asset(io_manager_def=duckdb_io_manager, metadata={"dagster/column_schema": PRIMARY_KEY})
def stg_orders(raw_orders: str) -> str:
    "One row per order, keyed by order_id."

    jinja_query = """
    with source as (
        select * from {{ raw_orders }}
    ),

    renamed as (
        select
            id as order_id,
            user_id as customer_id,
            order_date,
            status
        from source
    )

    select * from renamed
    """

    return jinja_query
