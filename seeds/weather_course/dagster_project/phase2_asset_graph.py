"""Phase 2: a four-asset graph; Dagster orders it from the parameters alone."""
from dagster import asset


@asset(group_name="phase2", compute_kind="duckdb")
def station_metadata() -> str:
    """Where each city's station is."""
    return "select * from read_csv_auto('data/stations.csv')"


@asset(group_name="phase2", compute_kind="duckdb")
def validated_readings(cleaned_weather_data: str, station_metadata: str) -> str:
    """Readings from known stations only, with their country."""
    return """
    select r.*, s.country
    from {{ cleaned_weather_data }} as r
    join {{ station_metadata }} as s using (city)
    """


@asset(group_name="phase2", compute_kind="duckdb")
def city_aggregates(validated_readings: str) -> str:
    """Per-city averages and extremes over the whole period."""
    return """
    select
        city,
        country,
        round(avg(temperature_c), 1) as avg_temperature_c,
        min(temperature_c) as min_temperature_c,
        max(temperature_c) as max_temperature_c,
        round(sum(precipitation_mm), 1) as total_precipitation_mm
    from {{ validated_readings }}
    group by city, country
    """


@asset(group_name="phase2", compute_kind="duckdb")
def hottest_cities(city_aggregates: str) -> str:
    """The three warmest cities on average."""
    return "select * from {{ city_aggregates }} order by avg_temperature_c desc limit 3"
