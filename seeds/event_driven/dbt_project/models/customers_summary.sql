select
    c.region,
    count(distinct c.customer_id) as num_customers,
    count(o.order_id) as num_orders,
    coalesce(sum(o.amount), 0) as total_amount
from {{ source('raw', 'customers') }} as c
left join {{ source('raw', 'orders') }} as o on o.customer_id = c.customer_id
group by c.region
order by c.region
