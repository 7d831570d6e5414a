"""A malformed value in any typed variable stops start-up with an error naming that variable."""

import pytest

from config_probe import SETTINGS_LOADERS, variables_read
from onetake_config.errors import ConfigError

# Free-form strings: any value is accepted (hosts, user, database name, password, a path).
FREE_FORM = {
    "INGEST_WAL_DIR",
    "GRPC_HOST",
    "CLICKHOUSE_HOST",
    "CLICKHOUSE_USER",
    "CLICKHOUSE_PASSWORD",
    "CLICKHOUSE_DATABASE",
}
CASES = sorted(
    (service, variable)
    for service in SETTINGS_LOADERS
    for variable in variables_read(service) - FREE_FORM
)


def test_every_service_has_typed_variables() -> None:
    assert {service for service, _ in CASES} == set(SETTINGS_LOADERS)


@pytest.mark.parametrize(("service", "variable"), CASES)
def test_malformed_value_names_the_variable_and_what_is_expected(
    service: str, variable: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        SETTINGS_LOADERS[service]({variable: "bogus!"})
    assert f"{variable}='bogus!': expected" in str(raised.value)
