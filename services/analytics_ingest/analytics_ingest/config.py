"""The ingest service's settings: read once at start-up, validated, immutable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from onetake_config.common import ClickHouseSettings, ServerSettings
from onetake_config.reader import EnvReader
from onetake_config.source import load_environment

DEFAULT_GRPC_PORT = 50051
DEFAULT_METRICS_PORT = 9101
# One ClickHouse insert never carries more rows than this (the driver splits larger blocks).
MAX_BATCH_SIZE = 1_048_576


@dataclass(frozen=True)
class IngestSettings:
    server: ServerSettings
    clickhouse: ClickHouseSettings
    batch_size: int  # flush when this many events are waiting
    batch_interval_sec: float  # ...or when the oldest waiting event is this old

    @classmethod
    def from_environment(cls, values: Mapping[str, str] | None = None) -> IngestSettings:
        env = EnvReader(load_environment() if values is None else values)
        settings = cls(
            server=ServerSettings.read(env, DEFAULT_GRPC_PORT, DEFAULT_METRICS_PORT),
            clickhouse=ClickHouseSettings.read(env),
            batch_size=env.integer("BATCH_SIZE", 1000, 1, MAX_BATCH_SIZE),
            batch_interval_sec=env.number("BATCH_INTERVAL_SEC", 1.0, 0.01, 3600.0),
        )
        env.finish()
        return settings
