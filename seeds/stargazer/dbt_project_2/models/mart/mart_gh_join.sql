{{
    config(
        dagster_freshness_policy={"maximum_lag_minutes": 10}
    )
}}

with mart_gh_stargazer as (
    select *
    from {{ source('mart', 'mart_gh_stargazer') }}
),

mart_gh_cumulative as (
    select *
    from {{ ref('mart_gh_cumulative') }}
)

select
    mart_gh_stargazer.repository,
    count(*) as stars,
    max(mart_gh_cumulative.cumulative_stargazers) as cumulative_stargazers
from mart_gh_stargazer
left join mart_gh_cumulative on mart_gh_stargazer.repository = mart_gh_cumulative.repository
group by mart_gh_stargazer.repository
