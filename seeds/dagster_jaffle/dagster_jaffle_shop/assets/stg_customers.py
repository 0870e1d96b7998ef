from dagster import asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager


@asset(io_manager_def=duckdb_io_manager)
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
