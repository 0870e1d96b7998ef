from dagster import file_relative_path

DBT_PROJECT_DIR1 = file_relative_path(__file__, "../../dbt_project_1")
DBT_PROJECT_DIR2 = file_relative_path(__file__, "../../dbt_project_2")

DBT_CONFIG1 = {"project_dir": DBT_PROJECT_DIR1, "profiles_dir": DBT_PROJECT_DIR1}
DBT_CONFIG2 = {"project_dir": DBT_PROJECT_DIR2, "profiles_dir": DBT_PROJECT_DIR2}

WAREHOUSE_PATH = "warehouse.duckdb"
