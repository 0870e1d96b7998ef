from dagster import asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager


@asset(io_manager_def=duckdb_io_manager)
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
