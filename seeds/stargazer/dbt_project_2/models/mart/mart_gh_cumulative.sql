{{
    config(
        dagster_freshness_policy={"maximum_lag_minutes": 5}
    )
}}

with stargazer as (
    select *
    from {{ source('postgres', 'stargazers') }}
),

users as (
    select *
    from {{ source('postgres', 'stargazers_user') }}
),

per_month as (
    select
        s.repository,
        strftime(cast(s.starred_at as timestamp), '%Y-%m') as starred_at_month,
        count(*) as sum_stars
    from stargazer as s
    left outer join users as su on s.user_id = su.id
    group by s.repository, strftime(cast(s.starred_at as timestamp), '%Y-%m')
)

select
    repository,
    starred_at_month,
    sum_stars,
    sum(sum_stars) over (partition by repository order by starred_at_month) as cumulative_stargazers
from per_month
order by repository, starred_at_month
