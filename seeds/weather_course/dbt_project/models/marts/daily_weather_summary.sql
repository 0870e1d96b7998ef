select
    reading_date,
    city,
    round(avg(temperature_c), 1) as avg_temperature_c,
    min(temperature_c) as min_temperature_c,
    max(temperature_c) as max_temperature_c,
    round(avg(humidity_pct), 0) as avg_humidity_pct,
    max(wind_kph) as max_wind_kph,
    round(sum(precipitation_mm), 1) as total_precipitation_mm
from {{ ref('stg_weather_readings') }}
group by reading_date, city
