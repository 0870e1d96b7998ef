"""The primary key of every table, checked by the profiling job (dbt's `unique` + `not_null`)."""

PRIMARY_KEYS = {
    "raw_customers": "id",
    "raw_orders": "id",
    "raw_payments": "id",
    "stg_customers": "customer_id",
    "stg_orders": "order_id",
    "stg_payments": "payment_id",
    "customers": "customer_id",
    "orders": "order_id",
}
