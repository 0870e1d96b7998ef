"""Headless tests: materialize() runs assets in-process, no webserver or daemon."""
from dagster import materialize

from dagster_project.phase1_basic_assets import cleaned_weather_data, raw_weather_data
from dagster_project.phase2_asset_graph import city_aggregates, station_metadata, validated_readings


def test_phase1_and_phase2_materialize():
    result = materialize([raw_weather_data, cleaned_weather_data, station_metadata, validated_readings, city_aggregates])
    assert result.success
