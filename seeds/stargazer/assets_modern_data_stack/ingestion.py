"""Stands in for the Airbyte connection `fetch_stargazer` (GitHub -> warehouse): its two streams.

With Airbyte running this module would be
    load_assets_from_connections(airbyte=airbyte_instance, connections=[stargazer_connection], key_prefix=["postgres"])
Here each stream is a CSV export in data/, loaded by the same SQL the destination would run.
"""
from dagster import asset

AIRBYTE_STREAMS = ["stargazers", "stargazers_user"]


@asset(key_prefix=["postgres"], group_name="airbyte", compute_kind="airbyte")
def stargazers() -> str:
    """Who starred which repository, and when (stream `stargazers`, incremental append + dedup)."""
    return "select * from read_csv_auto('data/stargazers.csv')"


@asset(key_prefix=["postgres"], group_name="airbyte", compute_kind="airbyte")
def stargazers_user() -> str:
    """The GitHub users behind the stars (stream `stargazers_user`)."""
    return "select * from read_csv_auto('data/stargazers_user.csv')"
