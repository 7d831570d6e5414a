"""Runs the real ingest service in-process on a free port, against a given ClickHouse."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from analytics_ingest.config import IngestSettings
from analytics_ingest.main import build_service
from onetake_events.clickhouse import DriverSession
from onetake_events.queries import count_distinct_events
from onetake_grpc.runtime import RunningServer, start
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse


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
        **overrides,
    }


@dataclass
class RunningIngest:
    server: RunningServer
    channel: grpc.aio.Channel
    stub: Any  # AnalyticsIngestStub over the aio channel

    async def service_health(self) -> int:
        stub: Any = health_pb2_grpc.HealthStub(self.channel)
        request = health_pb2.HealthCheckRequest(service=self.server.service.service_names[0])
        return int((await stub.Check(request, timeout=5)).status)


@asynccontextmanager
async def running_ingest(
    clickhouse_port: int, database: str, **overrides: str
) -> AsyncIterator[RunningIngest]:
    """The service as main() wires it, but on a free port and with test-friendly settings."""
    settings = IngestSettings.from_environment(
        ingest_environment(clickhouse_port, database, **overrides)
    )
    settings = dataclasses.replace(settings, server=dataclasses.replace(settings.server, port=0))
    server = await start(build_service(settings), settings.server)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = analytics_pb2_grpc.AnalyticsIngestStub(channel)
            yield RunningIngest(server, channel, stub)
    finally:
        await server.stop()


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


async def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(condition):
            return True
        await asyncio.sleep(0.05)
    return False
