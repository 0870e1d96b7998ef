from dagster import (
    AssetSelection,
    Definitions,
    ScheduleDefinition,
    build_asset_reconciliation_sensor,
    define_asset_job,
    load_assets_from_modules,
)
from dagster_dbt import DbtCliResource, load_assets_from_dbt_project

from . import ingestion
from .utils.constants import DBT_PROJECT_DIR1, DBT_PROJECT_DIR2

airbyte_assets = load_assets_from_modules([ingestion])

# Two dbt projects, one global lineage: project 2's source `mart.mart_gh_stargazer` is the asset
# project 1's model `mart_gh_stargazer` produces (same key mart/mart_gh_stargazer, same relation).
dbt_assets_1 = load_assets_from_dbt_project(project_dir=DBT_PROJECT_DIR1, dbt_resource_key="dbt1", exclude="source:*")
dbt_assets_2 = load_assets_from_dbt_project(project_dir=DBT_PROJECT_DIR2, dbt_resource_key="dbt2")

update_sensor = build_asset_reconciliation_sensor(name="update_sensor", asset_selection=AssetSelection.all())

my_job = define_asset_job(name="my_job", selection=AssetSelection.keys("postgres/stargazers", "postgres/stargazers_user"))

my_job_schedule = ScheduleDefinition(name="my_job_schedule", job=my_job, cron_schedule="*/30 * * * *")

defs = Definitions(
    assets=[*airbyte_assets, *dbt_assets_1, *dbt_assets_2],
    resources={
        "dbt1": DbtCliResource(project_dir=DBT_PROJECT_DIR1, profiles_dir=DBT_PROJECT_DIR1),
        "dbt2": DbtCliResource(project_dir=DBT_PROJECT_DIR2, profiles_dir=DBT_PROJECT_DIR2),
    },
    sensors=[update_sensor],
    jobs=[my_job],
    schedules=[my_job_schedule],
)
