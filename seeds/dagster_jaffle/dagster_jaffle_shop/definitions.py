from dagster import Definitions, define_asset_job, load_assets_from_modules

from dagster_jaffle_shop.assets import ASSET_MODULES
from dagster_jaffle_shop.jobs.profiling import profiling_job

materialize_job = define_asset_job("materialize_job")

defs = Definitions(
    assets=load_assets_from_modules(ASSET_MODULES),
    jobs=[materialize_job, profiling_job],
)
