select
    id as user_id,
    login as user_login,
    type as user_type
from {{ source('postgres', 'stargazers_user') }}
where type = 'User'
