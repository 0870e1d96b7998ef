import duckdb
from dagster import ConfigurableIOManager, InputContext, OutputContext

SOURCE_DATA_DIR = "source_data"


class DuckDBQueryIOManager(ConfigurableIOManager):
    """Runs the query an asset returns into `<key prefix>.<name>` (raw/orders -> raw.orders)."""

    database: str

    def handle_output(self, context: OutputContext, obj: str) -> None:
        *prefix, table = context.asset_key.path
        schema = prefix[-1] if prefix else "main"
        with duckdb.connect(self.database) as conn:
            conn.execute(f"create schema if not exists {schema}")
            conn.execute(f"create or replace table {schema}.{table} as ({obj})")

    def load_input(self, context: InputContext) -> str:
        *prefix, table = context.asset_key.path
        return f"{prefix[-1] if prefix else 'main'}.{table}"
