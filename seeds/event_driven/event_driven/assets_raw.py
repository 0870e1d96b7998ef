"""Asset factories: every CSV source becomes a source asset and an eagerly loaded raw table."""
from dagster import AssetKey, AutoMaterializePolicy, SourceAsset, asset

# The CSV files in source_data/ that an external system keeps updating.
SOURCES = ["orders", "customers"]


def build_assets(name: str):
    source = SourceAsset(
        key=AssetKey(f"source_{name}"),
        description=f"source_data/{name}.csv; observe_sources_job records its data version (the file's mtime)",
    )

    @asset(
        name=name,
        key_prefix=["raw"],
        deps=[source],
        io_manager_key="warehouse_io_manager",
        auto_materialize_policy=AutoMaterializePolicy.eager(),
        compute_kind="duckdb",
    )
    def raw_table() -> str:
        """The CSV as loaded into the warehouse (schema raw); the dbt source raw.<name> reads it."""
        return f"select * from read_csv_auto('source_data/{name}.csv')"

    return [source, raw_table]


raw_assets = [build_assets(name) for name in SOURCES]
