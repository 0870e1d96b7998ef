from dagster import Definitions, load_assets_from_modules
from dagster_dbt import DbtCliResource

from .io_managers import DuckDBQueryIOManager
from . import phase1_basic_assets, phase2_asset_graph, phase3_partitions, phase4_dbt_assets, phase5_automation
from .phase5_automation import alerts_job, alerts_on_new_summary, daily_weather_job, incoming_weather_sensor

all_assets = load_assets_from_modules(
    [phase1_basic_assets, phase2_asset_graph, phase3_partitions, phase4_dbt_assets, phase5_automation]
)

defs = Definitions(
    assets=all_assets,
    jobs=[daily_weather_job, alerts_job],
    sensors=[incoming_weather_sensor, alerts_on_new_summary],
    resources={
        "io_manager": DuckDBQueryIOManager(database="weather.duckdb"),
        "dbt": DbtCliResource(project_dir=str(phase4_dbt_assets.DBT_PROJECT_DIR)),
    },
)
