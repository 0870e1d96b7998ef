"""Phase 5: a sensor for new files in data/incoming, an asset sensor, and a freshness policy instead of a cron."""
import os

from dagster import (
    AssetKey,
    AutoMaterializePolicy,
    FreshnessPolicy,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    asset,
    asset_sensor,
    define_asset_job,
    sensor,
)

from .phase3_partitions import daily_partitions

# Next to this package, wherever `dagster dev` is started from.
INCOMING_DIR = os.path.join(os.path.dirname(__file__), "..", "data", "incoming")

daily_weather_job = define_asset_job(
    "daily_weather_job",
    selection=["daily_weather_raw", "daily_city_stats"],
    partitions_def=daily_partitions,
)


@sensor(job=daily_weather_job, minimum_interval_seconds=30)
def incoming_weather_sensor(context: SensorEvaluationContext):
    """Starts one partition run per new file data/incoming/<day>.csv."""
    seen = set(context.cursor.split(",")) if context.cursor else set()
    new = sorted(f for f in os.listdir(INCOMING_DIR) if f.endswith(".csv") and f not in seen)
    if not new:
        return SkipReason("no new files in data/incoming")
    for name in new:
        yield RunRequest(run_key=name, partition_key=name.removesuffix(".csv"))
    context.update_cursor(",".join(sorted(seen | set(new))))


alerts_job = define_asset_job("alerts_job", selection=["weather_alerts"])


@asset_sensor(asset_key=AssetKey("daily_weather_summary"), job=alerts_job)
def alerts_on_new_summary(context: SensorEvaluationContext, asset_event):
    """Recomputes the weather alerts whenever the daily summary is rebuilt."""
    return RunRequest(run_key=context.cursor)


@asset(
    group_name="phase5",
    compute_kind="duckdb",
    freshness_policy=FreshnessPolicy(maximum_lag_minutes=6 * 60),
    auto_materialize_policy=AutoMaterializePolicy.lazy(),
)
def weekly_weather_report(daily_weather_summary: str) -> str:
    """The last seven days per city; must never be more than six hours behind its upstream."""
    return """
    select city, min(reading_date) as week_start, round(avg(avg_temperature_c), 1) as avg_temperature_c
    from {{ daily_weather_summary }}
    where reading_date >= (select max(reading_date) - interval 6 day from {{ daily_weather_summary }})
    group by city
    """
