"""docker-compose.yml cannot run here (no registry), so check it against the services' config."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from config_probe import SETTINGS_LOADERS as SETTINGS
from config_probe import RecordingEnvironment
from reco_service.config import RecoSettings

COMPOSE = yaml.safe_load(Path("docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def published_container_ports(service: dict[str, Any]) -> set[int]:
    return {int(str(mapping).split(":")[-1]) for mapping in service.get("ports", [])}


def test_compose_has_clickhouse_core_and_both_services() -> None:
    assert set(SERVICES) == {"clickhouse", "core", "analytics_ingest", "reco_service"}
    assert SERVICES["analytics_ingest"]["image"] == "onetake/analytics_ingest:latest"
    assert SERVICES["reco_service"]["image"] == "onetake/reco_service:latest"
    assert SERVICES["core"]["image"] == "onetake/core_standin:latest"


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_variable_is_one_the_service_reads_with_a_valid_value(name: str) -> None:
    environment = RecordingEnvironment(
        {key: str(value) for key, value in SERVICES[name]["environment"].items()}
    )
    SETTINGS[name](environment)  # raises ConfigError naming any bad value
    assert set(environment) - environment.asked == set()


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_grpc_and_metrics_ports_are_the_ones_published(name: str) -> None:
    settings = SETTINGS[name]({k: str(v) for k, v in SERVICES[name]["environment"].items()})
    assert {settings.server.port, settings.server.metrics_port} == published_container_ports(
        SERVICES[name]
    )


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_clickhouse_address_and_credentials_match_the_clickhouse_service(name: str) -> None:
    settings = SETTINGS[name]({k: str(v) for k, v in SERVICES[name]["environment"].items()})
    clickhouse_env = SERVICES["clickhouse"]["environment"]
    assert settings.clickhouse.host == "clickhouse"
    assert settings.clickhouse.port in published_container_ports(SERVICES["clickhouse"])
    assert settings.clickhouse.user == clickhouse_env["CLICKHOUSE_USER"]
    assert settings.clickhouse.password.value == clickhouse_env["CLICKHOUSE_PASSWORD"]
    assert name in SERVICES and "clickhouse" in SERVICES[name]["depends_on"]


def test_reco_reaches_the_core_service_on_its_published_port() -> None:
    env = {k: str(v) for k, v in SERVICES["reco_service"]["environment"].items()}
    url = urlsplit(RecoSettings.from_environment(env).core.url)
    assert url.hostname == "core"
    assert url.port in published_container_ports(SERVICES["core"])
