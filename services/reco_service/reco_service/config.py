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
class CoreApiSettings:
    url: str  # base URL; posts by tag are read from {url}/api/posts?tag=...
    connect_timeout_sec: float
    read_timeout_sec: float
    cache_ttl_sec: float  # how long one tag's answer is reused
    breaker_failures: int  # consecutive failures that open the circuit
    breaker_reset_sec: float  # how long an open circuit skips Core before trying again


@dataclass(frozen=True)
class TrendingSettings:
    refresh_sec: float  # background refresh period of the trending lists
    list_size: int  # posts kept per window
    query_timeout_sec: float


@dataclass(frozen=True)
class SeenFilterSettings:
    enabled: bool
    window_hours: int
    timeout_sec: float  # past this the request is answered without the filter


@dataclass(frozen=True)
class RecoSettings:
    server: ServerSettings
    clickhouse: ClickHouseSettings
    core: CoreApiSettings
    trending: TrendingSettings
    seen: SeenFilterSettings

    @classmethod
    def from_environment(cls, values: Mapping[str, str] | None = None) -> RecoSettings:
        env = EnvReader(load_environment() if values is None else values)
        settings = cls(
            server=ServerSettings.read(env, DEFAULT_GRPC_PORT, DEFAULT_METRICS_PORT),
            clickhouse=ClickHouseSettings.read(env),
            core=CoreApiSettings(
                url=env.http_url("CORE_API_URL", "http://localhost:8000"),
                connect_timeout_sec=env.number("CORE_CONNECT_TIMEOUT_SEC", 0.3, 0.01, 30.0),
                read_timeout_sec=env.number("CORE_READ_TIMEOUT_SEC", 0.5, 0.01, 60.0),
                cache_ttl_sec=env.number("CORE_CACHE_TTL_SEC", 30.0, 0.0, 86_400.0),
                breaker_failures=env.integer("CORE_BREAKER_FAILURES", 5, 1, 1000),
                breaker_reset_sec=env.number("CORE_BREAKER_RESET_SEC", 10.0, 0.1, 3600.0),
            ),
            trending=TrendingSettings(
                refresh_sec=env.number("TRENDING_REFRESH_SEC", 30.0, 0.1, 86_400.0),
                list_size=env.integer("TRENDING_SIZE", 500, 1, 100_000),
                query_timeout_sec=env.number("TRENDING_QUERY_TIMEOUT_SEC", 10.0, 0.1, 600.0),
            ),
            seen=SeenFilterSettings(
                enabled=env.boolean("SEEN_FILTER_ENABLED", True),
                window_hours=env.integer("SEEN_WINDOW_HOURS", 72, 1, 24 * 365),
                timeout_sec=env.number("SEEN_FILTER_TIMEOUT_SEC", 0.2, 0.01, 10.0),
            ),
        )
        env.finish()
        return settings
