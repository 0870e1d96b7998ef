"""Assets return Jinja SQL; this IO manager renders it (inputs by name, the partition key) and writes a table."""
import duckdb
from dagster import ConfigurableIOManager, InputContext, OutputContext
from jinja2 import Template


class DuckDBQueryIOManager(ConfigurableIOManager):
    database: str

    def handle_output(self, context: OutputContext, obj: str) -> None:
        table = context.asset_key.path[-1]
        names = {name: name for name in context.step_context.op_def.ins}
        partition = context.partition_key if context.has_partition_key else ""
        query = Template(obj).render(partition_key=partition, **names)
        with duckdb.connect(self.database) as conn:
            if partition:
                # One table holds every day: replace only this partition's rows.
                conn.execute(f"create table if not exists {table} as select * from ({query}) limit 0")
                conn.execute(f"delete from {table} where reading_date = ?", [partition])
                conn.execute(f"insert into {table} {query}")
            else:
                conn.execute(f"create or replace table {table} as ({query})")

    def load_input(self, context: InputContext) -> str:
        # Downstream SQL reads the upstream table by name (dbt models included).
        return context.asset_key.path[-1]
