from . import customers, orders, raw_customers, raw_orders, raw_payments, stg_customers, stg_orders, stg_payments

ASSET_MODULES = [
    raw_customers,
    raw_orders,
    raw_payments,
    stg_customers,
    stg_orders,
    stg_payments,
    customers,
    orders,
]
