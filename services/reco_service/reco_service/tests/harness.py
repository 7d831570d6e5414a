"""Runs the real reco service in-process against a given ClickHouse and Core."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from onetake_events.clickhouse import DriverSession
from onetake_events.migrations import ensure_schema
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse
from onetake_testing.events import insert_post_views, utc_now
from onetake_testing.grpc_serving import Served, serving
from reco_service.config import RecoSettings
from reco_service.main import build_service


@dataclass
class RunningReco:
    served: Served
    stub: Any  # RecommendationsStub over the aio channel

    async def recommend(self, **fields: Any) -> list[tuple[str, float, str]]:
        request = reco_pb2.GetRecommendationsRequest(**fields)
        response = await self.stub.GetRecommendations(request, timeout=5)
        return [(item.post_id, item.score, item.reason) for item in response.items]


@asynccontextmanager
async def running_reco(
    clickhouse_port: int, database: str, core_url: str, **overrides: str
) -> AsyncIterator[RunningReco]:
    settings = RecoSettings.from_environment(
        {
            "CLICKHOUSE_HOST": "127.0.0.1",
            "CLICKHOUSE_PORT": str(clickhouse_port),
            "CLICKHOUSE_DATABASE": database,
            "CORE_API_URL": core_url,
            "SHUTDOWN_GRACE_SEC": "1",
            **overrides,
        }
    )
    async with serving(build_service(settings), settings.server) as served:
        yield RunningReco(served, reco_pb2_grpc.RecommendationsStub(served.channel))


def seeded_database(
    clickhouse: PrivateClickHouse, views: Sequence[tuple[str, str, str, float]]
) -> str:
    """A fresh database holding post_view events: (event_id, user_id, post_id, hours_ago)."""
    database = f"r_{uuid.uuid4().hex[:12]}"
    session = DriverSession(clickhouse.settings(database))
    try:
        ensure_schema(session, database)
        now: datetime = utc_now()
        insert_post_views(
            session,
            database,
            [(eid, uid, pid, now - timedelta(hours=hours)) for eid, uid, pid, hours in views],
        )
    finally:
        session.disconnect()
    return database
