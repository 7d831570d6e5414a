import pytest

from onetake_config.errors import ConfigError
from reco_service.config import RecoSettings


def test_defaults_match_the_documented_values() -> None:
    settings = RecoSettings.from_environment({})
    assert settings.server.port == 50052
    assert (settings.clickhouse.host, settings.clickhouse.port) == ("localhost", 9000)
    assert settings.core.url == "http://localhost:8000"
    assert settings.seen.enabled
    assert settings.trending.refresh_sec == 30.0


@pytest.mark.parametrize(
    ("variable", "bad_value"),
    [
        ("GRPC_PORT", "x"),
        ("CLICKHOUSE_PORT", "0"),
        ("CORE_API_URL", "core:8000"),
        ("CORE_API_URL", "file:///etc/passwd"),
        ("METRICS_PORT", "65536"),
        ("CORE_READ_TIMEOUT_SEC", "0"),
        ("CORE_BREAKER_FAILURES", "none"),
        ("TRENDING_REFRESH_SEC", "-1"),
        ("TRENDING_SIZE", "0"),
        ("SEEN_FILTER_ENABLED", "sometimes"),
        ("SEEN_WINDOW_HOURS", "0"),
    ],
)
def test_bad_value_is_an_error_naming_the_variable(variable: str, bad_value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        RecoSettings.from_environment({variable: bad_value})
    assert f"{variable}={bad_value!r}: expected" in str(raised.value)
