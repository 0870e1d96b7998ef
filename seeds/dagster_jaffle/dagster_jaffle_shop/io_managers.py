"""A DuckDB IO manager: an asset returns a Jinja SQL query, the manager renders it and writes a table."""
import duckdb
from dagster import InputContext, IOManager, OutputContext, io_manager
from jinja2 import Template

DUCKDB_PATH = "jaffle_shop.duckdb"


class DuckDBQueryIOManager(IOManager):
    def __init__(self, path: str):
        self.path = path

    def handle_output(self, context: OutputContext, obj: str) -> None:
        table = context.asset_key.path[-1]
        upstream = {name: name for name in context.step_context.op_def.ins}
        query = Template(obj).render(**upstream)
        with duckdb.connect(self.path) as conn:
            conn.execute(f"create or replace table {table} as ({query})")
            rows = conn.execute(f"select count(*) from {table}").fetchone()[0]
        context.add_output_metadata({"table": table, "rows": rows, "query": query})

    def load_input(self, context: InputContext) -> str:
        # Downstream queries read the table by name; nothing is loaded into memory.
        return context.asset_key.path[-1]


@io_manager
def duckdb_io_manager() -> DuckDBQueryIOManager:
    return DuckDBQueryIOManager(DUCKDB_PATH)
