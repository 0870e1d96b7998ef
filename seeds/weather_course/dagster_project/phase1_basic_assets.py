"""Phase 1: a first asset, and a second one that depends on it by naming it as a parameter."""
from dagster import asset


@asset(group_name="phase1", compute_kind="duckdb")
def raw_weather_data() -> str:
    """Every 3-hourly reading of every city, as delivered (one CSV per day)."""
    return "select * from read_csv_auto('data/weather/*.csv')"


@asset(group_name="phase1", compute_kind="duckdb")
def cleaned_weather_data(raw_weather_data: str) -> str:
    """Readings with physically impossible values removed and units named."""
    query = """
    select
        city,
        cast(reading_time as timestamp) as reading_time,
        temperature_c,
        humidity_pct,
        wind_kph,
        precipitation_mm
    from {{ raw_weather_data }}
    where temperature_c between -60 and 60
      and humidity_pct between 0 and 100
    """
    return query
