select
    order_date,
    count(*) as num_orders,
    sum(amount) as total_amount,
    sum(case when status = 'returned' then 1 else 0 end) as num_returned
from {{ source('raw', 'orders') }}
group by order_date
order by order_date
