from dagster import TableColumn, TableColumnConstraints, TableSchema, asset

from dagster_jaffle_shop.io_managers import duckdb_io_manager

# The primary key (PRIMARY_KEYS in primary_keys.py), declared where Dagster's catalog shows it.
PRIMARY_KEY = TableSchema(columns=[TableColumn("order_id", constraints=TableColumnConstraints(nullable=False, unique=True))])

PAYMENT_METHODS = ["credit_card", "coupon", "bank_transfer", "gift_card"]


@asset(io_manager_def=duckdb_io_manager, metadata={"dagster/column_schema": PRIMARY_KEY})
def orders(stg_orders: str, stg_payments: str) -> str:
    "One row per order, with the amount paid by each payment method."

    jinja_query = """
    with orders as (
        select * from {{ stg_orders }}
    ),

    payments as (
        select * from {{ stg_payments }}
    ),

    order_payments as (
        select
            order_id,
            sum(case when payment_method = 'credit_card' then amount else 0 end) as credit_card_amount,
            sum(case when payment_method = 'coupon' then amount else 0 end) as coupon_amount,
            sum(case when payment_method = 'bank_transfer' then amount else 0 end) as bank_transfer_amount,
            sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount,
            sum(amount) as total_amount
        from payments
        group by order_id
    )

    select
        orders.order_id,
        orders.customer_id,
        orders.order_date,
        orders.status,
        order_payments.credit_card_amount,
        order_payments.coupon_amount,
        order_payments.bank_transfer_amount,
        order_payments.gift_card_amount,
        order_payments.total_amount as amount
    from orders
    left join order_payments on orders.order_id = order_payments.order_id
    """

    return jinja_query
