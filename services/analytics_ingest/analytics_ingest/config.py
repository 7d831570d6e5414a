"""The ingest service's settings: read once at start-up, validated, immutable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
    buffer_max_events: int  # accepted-but-unstored events; beyond it RPCs get RESOURCE_EXHAUSTED
    buffer_max_bytes: int
    shutdown_flush_timeout_sec: float  # how long SIGTERM waits for ClickHouse to take the rest
    events_ttl_days: int  # retention on modern ClickHouse; 0 keeps events forever
    wal_dir: Path | None  # write-ahead log directory; None: acknowledged events live in memory only

    @classmethod
    def from_environment(cls, values: Mapping[str, str] | None = None) -> IngestSettings:
        env = EnvReader(load_environment() if values is None else values)
        batch_size = env.integer("BATCH_SIZE", 1000, 1, MAX_BATCH_SIZE)
        settings = cls(
            server=ServerSettings.read(env, DEFAULT_GRPC_PORT, DEFAULT_METRICS_PORT),
            clickhouse=ClickHouseSettings.read(env),
            batch_size=batch_size,
            batch_interval_sec=env.number("BATCH_INTERVAL_SEC", 1.0, 0.01, 3600.0),
            # The buffer must hold at least one full batch.
            buffer_max_events=env.integer(
                "BUFFER_MAX_EVENTS", max(200_000, batch_size), batch_size, 50_000_000
            ),
            buffer_max_bytes=env.integer("BUFFER_MAX_MB", 256, 1, 65_536) * 1024 * 1024,
            shutdown_flush_timeout_sec=env.number("SHUTDOWN_FLUSH_TIMEOUT_SEC", 30.0, 0.0, 3600.0),
            events_ttl_days=env.integer("EVENTS_TTL_DAYS", 0, 0, 36_500),
            wal_dir=(
                Path(env.string("INGEST_WAL_DIR", "data/ingest-wal"))
                if env.boolean("INGEST_WAL_ENABLED", True)
                else None
            ),
        )
        env.finish()
        return settings
