select
    repository,
    user_id,
    cast(starred_at as timestamp) as starred_at
from {{ source('postgres', 'stargazers') }}
