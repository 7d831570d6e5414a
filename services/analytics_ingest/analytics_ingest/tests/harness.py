"""Runs the real ingest service in-process on a free port, against a given ClickHouse."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from analytics_ingest.config import IngestSettings
from analytics_ingest.main import SERVICE_NAME, build_service
from onetake_events.clickhouse import DriverSession
from onetake_events.queries import count_distinct_events
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse
from onetake_testing.grpc_serving import Served, serving


def fresh_database() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


def ingest_environment(clickhouse_port: int, database: str, **overrides: str) -> dict[str, str]:
    return {
        "GRPC_HOST": "127.0.0.1",
        "METRICS_PORT": "0",
        "CLICKHOUSE_HOST": "127.0.0.1",
        "CLICKHOUSE_PORT": str(clickhouse_port),
        "CLICKHOUSE_DATABASE": database,
        "SHUTDOWN_GRACE_SEC": "1",
        "INGEST_WAL_DIR": tempfile.mkdtemp(prefix="ingest-wal-"),
        **overrides,
    }


@dataclass
class RunningIngest:
    served: Served
    stub: Any  # AnalyticsIngestStub over the aio channel

    async def service_health(self) -> int:
        return await self.served.health(SERVICE_NAME)


@asynccontextmanager
async def running_ingest(
    clickhouse_port: int, database: str, **overrides: str
) -> AsyncIterator[RunningIngest]:
    """The service as main() wires it, but on a free port and with test-friendly settings."""
    settings = IngestSettings.from_environment(
        ingest_environment(clickhouse_port, database, **overrides)
    )
    async with serving(build_service(settings), settings.server) as served:
        yield RunningIngest(served, analytics_pb2_grpc.AnalyticsIngestStub(served.channel))


def event(event_id: str, **fields: Any) -> analytics_pb2.TrackEventRequest:
    values: dict[str, Any] = {"event_id": event_id, "event_name": "post_view", **fields}
    return analytics_pb2.TrackEventRequest(**values)


def stored_count(clickhouse: PrivateClickHouse, database: str) -> int:
    session = DriverSession(clickhouse.settings(database))
    try:
        return count_distinct_events(session, database)
    except Exception:
        return 0  # the table does not exist yet
    finally:
        session.disconnect()
