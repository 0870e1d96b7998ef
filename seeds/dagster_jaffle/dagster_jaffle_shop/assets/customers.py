from dagster import TableColumn, TableColumnConstraints, TableSchema, asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager

# The primary key (PRIMARY_KEYS in primary_keys.py), declared where Dagster's catalog shows it.
PRIMARY_KEY = TableSchema(columns=[TableColumn("customer_id", constraints=TableColumnConstraints(nullable=False, unique=True))])


@asset(io_manager_def=duckdb_io_manager, metadata={"dagster/column_schema": PRIMARY_KEY})
def customers(stg_customers: str, stg_orders: str, stg_payments: str) -> str:
    "One row per customer, with their order history and lifetime value."

    jinja_query = """
    with customers as (
        select * from {{ stg_customers }}
    ),

    orders as (
        select * from {{ stg_orders }}
    ),

    payments as (
        select * from {{ stg_payments }}
    ),

    customer_orders as (
        select
            customer_id,
            min(order_date) as first_order,
            max(order_date) as most_recent_order,
            count(order_id) as number_of_orders
        from orders
        group by customer_id
    ),

    customer_payments as (
        select
            orders.customer_id,
            sum(amount) as total_amount
        from payments
        left join orders on payments.order_id = orders.order_id
        group by orders.customer_id
    )

    select
        customers.customer_id,
        customers.first_name,
        customers.last_name,
        customer_orders.first_order,
        customer_orders.most_recent_order,
        customer_orders.number_of_orders,
        customer_payments.total_amount as customer_lifetime_value
    from customers
    left join customer_orders on customers.customer_id = customer_orders.customer_id
    left join customer_payments on customers.customer_id = customer_payments.customer_id
    """

    return jinja_query
