"""The recommendation service's settings: read once at start-up, validated, immutable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from onetake_config.common import ClickHouseSettings, ServerSettings
from onetake_config.reader import EnvReader
from onetake_config.source import load_environment

DEFAULT_GRPC_PORT = 50052
DEFAULT_METRICS_PORT = 9102


@dataclass(frozen=True)
class RecoSettings:
    server: ServerSettings
    clickhouse: ClickHouseSettings
    core_api_url: str  # base URL; posts by tag are read from {core_api_url}/api/posts?tag=...

    @classmethod
    def from_environment(cls, values: Mapping[str, str] | None = None) -> RecoSettings:
        env = EnvReader(load_environment() if values is None else values)
        settings = cls(
            server=ServerSettings.read(env, DEFAULT_GRPC_PORT, DEFAULT_METRICS_PORT),
            clickhouse=ClickHouseSettings.read(env),
            core_api_url=env.http_url("CORE_API_URL", "http://localhost:8000"),
        )
        env.finish()
        return settings
