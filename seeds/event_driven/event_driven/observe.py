"""A job that records a new data version for each CSV source when its file changed (its mtime)."""
import os

from dagster import AssetKey, AssetObservation, DataVersion, OpExecutionContext, ScheduleDefinition, job, op

from .assets_raw import SOURCES
from .resources import SOURCE_DATA_DIR


@op
def observe_sources(context: OpExecutionContext) -> None:
    for name in SOURCES:
        mtime = os.path.getmtime(os.path.join(SOURCE_DATA_DIR, f"{name}.csv"))
        context.log_event(
            AssetObservation(asset_key=AssetKey(f"source_{name}"), tags={"dagster/data_version": str(mtime)})
        )


@job
def observe_sources_job():
    observe_sources()


observe_sources_schedule = ScheduleDefinition(job=observe_sources_job, cron_schedule="* * * * *")
