select
    s.repository,
    s.starred_at,
    u.user_login
from {{ ref('stg_gh_stargazers') }} as s
left join {{ ref('stg_gh_users') }} as u on s.user_id = u.user_id
