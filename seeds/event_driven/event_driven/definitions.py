from itertools import chain

from dagster import Definitions, file_relative_path
from dagster_dbt import DbtCliResource, load_assets_from_dbt_project

from .assets_raw import raw_assets
from .observe import observe_sources_job, observe_sources_schedule
from .resources import DuckDBQueryIOManager

DBT_PROJECT_DIR = file_relative_path(__file__, "../dbt_project")

# dbt sources raw.orders / raw.customers get the keys raw/orders / raw/customers: the loaders above.
dbt_assets = load_assets_from_dbt_project(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

defs = Definitions(
    assets=[*chain.from_iterable(raw_assets), *dbt_assets],
    jobs=[observe_sources_job],
    schedules=[observe_sources_schedule],
    resources={
        "warehouse_io_manager": DuckDBQueryIOManager(database="warehouse.duckdb"),
        "dbt": DbtCliResource(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR),
    },
)
