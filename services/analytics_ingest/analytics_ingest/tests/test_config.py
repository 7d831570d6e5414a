from pathlib import Path

import pytest

from analytics_ingest.config import IngestSettings
from onetake_config.errors import ConfigError


def test_defaults_match_the_documented_values() -> None:
    settings = IngestSettings.from_environment({})
    assert settings.server.port == 50051
    assert (settings.clickhouse.host, settings.clickhouse.port) == ("localhost", 9000)
    assert settings.clickhouse.user == "default"
    assert settings.clickhouse.password.value == ""
    assert settings.batch_size == 1000
    assert settings.batch_interval_sec == 1.0
    assert settings.wal_dir == Path("data/ingest-wal")


def test_the_write_ahead_log_can_be_turned_off() -> None:
    assert IngestSettings.from_environment({"INGEST_WAL_ENABLED": "false"}).wal_dir is None


def test_values_from_the_environment_are_parsed() -> None:
    settings = IngestSettings.from_environment(
        {"GRPC_PORT": "6001", "BATCH_SIZE": "5000", "BATCH_INTERVAL_SEC": "0.25"}
    )
    assert (settings.server.port, settings.batch_size, settings.batch_interval_sec) == (
        6001,
        5000,
        0.25,
    )


@pytest.mark.parametrize(
    ("variable", "bad_value"),
    [
        ("GRPC_PORT", "fifty"),
        ("GRPC_PORT", "0"),
        ("METRICS_PORT", "-1"),
        ("CLICKHOUSE_PORT", "99999"),
        ("BATCH_SIZE", "0"),
        ("BATCH_SIZE", "2000000"),
        ("BATCH_SIZE", "1e3"),
        ("BATCH_INTERVAL_SEC", "soon"),
        ("BATCH_INTERVAL_SEC", "0"),
        ("SHUTDOWN_GRACE_SEC", "-5"),
        ("LOG_LEVEL", "chatty"),
        ("BUFFER_MAX_EVENTS", "10"),
        ("BUFFER_MAX_MB", "0"),
        ("SHUTDOWN_FLUSH_TIMEOUT_SEC", "never"),
        ("EVENTS_TTL_DAYS", "-1"),
    ],
)
def test_bad_value_is_an_error_naming_the_variable(variable: str, bad_value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        IngestSettings.from_environment({variable: bad_value})
    assert f"{variable}={bad_value!r}: expected" in str(raised.value)


def test_password_does_not_leak_into_the_settings_repr() -> None:
    settings = IngestSettings.from_environment({"CLICKHOUSE_PASSWORD": "s3cret-pw"})
    assert "s3cret-pw" not in repr(settings)


def test_buffer_must_hold_at_least_one_batch() -> None:
    with pytest.raises(ConfigError) as raised:
        IngestSettings.from_environment({"BATCH_SIZE": "5000", "BUFFER_MAX_EVENTS": "4000"})
    assert "BUFFER_MAX_EVENTS='4000': expected an integer from 5000" in str(raised.value)
