"""Phase 3: daily partitions. Each run processes one day's file; a backfill runs one per day."""
from dagster import AssetExecutionContext, DailyPartitionsDefinition, asset

daily_partitions = DailyPartitionsDefinition(start_date="2024-01-01")


@asset(partitions_def=daily_partitions, group_name="phase3", compute_kind="duckdb")
def daily_weather_raw(context: AssetExecutionContext) -> str:
    """One day of readings, loaded from data/weather/<day>.csv."""
    context.log.info(f"loading {context.partition_key}")
    return """
    select '{{ partition_key }}' as reading_date, *
    from read_csv_auto('data/weather/{{ partition_key }}.csv')
    """


@asset(partitions_def=daily_partitions, group_name="phase3", compute_kind="duckdb")
def daily_city_stats(context: AssetExecutionContext, daily_weather_raw: str) -> str:
    """Per-city statistics for one day."""
    return """
    select
        reading_date,
        city,
        min(temperature_c) as min_temperature_c,
        max(temperature_c) as max_temperature_c,
        sum(precipitation_mm) as precipitation_mm
    from {{ daily_weather_raw }}
    where reading_date = '{{ partition_key }}'
    group by reading_date, city
    """
