{{
    config(
        materialized='incremental',
        unique_key=['city', 'reading_time'],
    )
}}

select
    cast(reading_date as date) as reading_date,
    city,
    cast(reading_time as timestamp) as reading_time,
    temperature_c,
    humidity_pct,
    wind_kph,
    precipitation_mm
from {{ source('weather', 'daily_weather_raw') }}

{% if is_incremental() %}
-- Only the days newer than what the table already holds.
where cast(reading_date as date) >= (select max(reading_date) from {{ this }})
{% endif %}
