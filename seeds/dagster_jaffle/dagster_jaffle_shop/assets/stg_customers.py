from dagster import TableColumn, TableColumnConstraints, TableSchema, asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager

# The primary key (PRIMARY_KEYS in primary_keys.py), declared where Dagster's catalog shows it.
PRIMARY_KEY = TableSchema(columns=[TableColumn("customer_id", constraints=TableColumnConstraints(nullable=False, unique=True))])


@asset(io_manager_def=duckdb_io_manager, metadata={"dagster/column_schema": PRIMARY_KEY})
def stg_customers(raw_customers: str) -> str:
    "Customers with the shop's column names."

    jinja_query = """
    with source as (
        select * from {{ raw_customers }}
    ),

    renamed as (
        select
            id as customer_id,
            first_name,
            last_name
        from source
    )

    select * from renamed
    """

    return jinja_query
