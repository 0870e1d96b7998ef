"""Phase 4: the dbt project as assets, between Python assets upstream and downstream."""
from pathlib import Path

from dagster import AssetExecutionContext, asset
from dagster_dbt import DbtCliResource, dbt_assets, get_asset_key_for_model

DBT_PROJECT_DIR = Path(__file__).joinpath("..", "..", "dbt_project").resolve()
DBT_MANIFEST = DBT_PROJECT_DIR.joinpath("target", "manifest.json")


@dbt_assets(manifest=DBT_MANIFEST)
def weather_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()


@asset(
    deps=[get_asset_key_for_model([weather_dbt_assets], "daily_weather_summary")],
    group_name="phase4",
    compute_kind="duckdb",
)
def weather_alerts() -> str:
    """Days on which a city froze or had heavy rain."""
    return """
    select *
    from main.daily_weather_summary
    where min_temperature_c < 0 or total_precipitation_mm > 10
    """
