"""The ingest service end to end: real gRPC on loopback, a private ClickHouse server."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2

from analytics_ingest.tests.harness import (
    event,
    fresh_database,
    running_ingest,
    stored_count,
)
from onetake_proto.analytics.v1 import analytics_pb2
from onetake_testing.clickhouse_server import PrivateClickHouse, free_port
from onetake_testing.waiting import wait_until

EPOCH = datetime(1970, 1, 1)


def test_every_field_lands_with_its_exact_value(clickhouse: PrivateClickHouse) -> None:
    ts = datetime.now(UTC).replace(microsecond=0, tzinfo=None) - timedelta(minutes=3)
    ts_ms = int((ts - EPOCH).total_seconds() * 1000)
    request = analytics_pb2.TrackEventRequest(
        event_id="e-exact",
        ts=ts_ms,
        user_id="user-ü",
        session_id="session-1",
        event_name="post_view",
        route="/posts/p-42",
        entity_type="post",
        entity_id="p-42",
        props_json='{"source": "feed", "n": 1}',
        trace_id="trace-abc",
    )

    async def scenario() -> list[tuple[Any, ...]]:
        database = fresh_database()
        async with running_ingest(clickhouse.port, database, BATCH_INTERVAL_SEC="0.05") as ingest:
            response = await ingest.stub.TrackEvent(request, timeout=5)
            assert response.accepted
            assert await wait_until(lambda: stored_count(clickhouse, database) == 1)
        rows: list[tuple[Any, ...]] = clickhouse.client().execute(
            "SELECT event_id, ts, user_id, session_id, event_name, route, entity_type,"
            f" entity_id, props_json, trace_id FROM {database}.events_raw"
        )
        return rows

    rows = asyncio.run(scenario())
    assert rows == [
        (
            "e-exact",
            ts.replace(tzinfo=UTC),  # 18.16 keeps whole seconds; modern servers keep milliseconds
            "user-ü",
            "session-1",
            "post_view",
            "/posts/p-42",
            "post",
            "p-42",
            '{"source": "feed", "n": 1}',
            "trace-abc",
        )
    ]


def test_flush_happens_when_batch_size_events_wait(clickhouse: PrivateClickHouse) -> None:
    async def scenario() -> int:
        database = fresh_database()
        async with running_ingest(
            clickhouse.port, database, BATCH_SIZE="5", BATCH_INTERVAL_SEC="3600"
        ) as ingest:
            for i in range(7):
                await ingest.stub.TrackEvent(event(f"e{i}"), timeout=5)
            assert await wait_until(lambda: stored_count(clickhouse, database) >= 5)
            await asyncio.sleep(0.5)
            return stored_count(clickhouse, database)

    stored = asyncio.run(scenario())
    assert stored == 5  # the remaining 2 wait for the interval (or shutdown)


def test_flush_happens_when_the_interval_passes(clickhouse: PrivateClickHouse) -> None:
    async def scenario() -> tuple[int, bool]:
        database = fresh_database()
        async with running_ingest(
            clickhouse.port, database, BATCH_SIZE="1000", BATCH_INTERVAL_SEC="0.5"
        ) as ingest:
            await ingest.stub.TrackEvent(event("a"), timeout=5)
            await ingest.stub.TrackEvent(event("b"), timeout=5)
            early = stored_count(clickhouse, database)
            arrived = await wait_until(lambda: stored_count(clickhouse, database) == 2, 5)
            return early, arrived

    early, arrived = asyncio.run(scenario())
    assert early == 0
    assert arrived


@pytest.mark.parametrize(
    ("fields", "field_named"),
    [
        ({"event_id": ""}, "event_id"),
        ({"event_name": "bad name"}, "event_name"),
        ({"props_json": "[]"}, "props_json"),
        ({"ts": 1}, "ts"),
        ({"route": "r" * 600}, "route"),
    ],
)
def test_invalid_event_gets_invalid_argument_naming_the_field(
    clickhouse: PrivateClickHouse, fields: dict[str, Any], field_named: str
) -> None:
    async def scenario() -> grpc.aio.AioRpcError:
        async with running_ingest(clickhouse.port, fresh_database()) as ingest:
            request = event("e1", **fields) if "event_id" not in fields else event(**fields)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await ingest.stub.TrackEvent(request, timeout=5)
            return raised.value

    error = asyncio.run(scenario())
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (error.details() or "").startswith(f"{field_named}:")


def test_track_events_stores_the_valid_and_reports_each_bad_one(
    clickhouse: PrivateClickHouse,
) -> None:
    async def scenario() -> tuple[Any, int]:
        database = fresh_database()
        async with running_ingest(clickhouse.port, database, BATCH_INTERVAL_SEC="0.05") as ingest:
            request = analytics_pb2.TrackEventsRequest(
                events=[
                    event("ok-0"),
                    event("", event_name="x"),
                    event("ok-2"),
                    event("bad-3", props_json="{oops"),
                    event("ok-4"),
                ],
                trace_id="batch-trace",
            )
            response = await ingest.stub.TrackEvents(request, timeout=5)
            await wait_until(lambda: stored_count(clickhouse, database) == 3)
            return response, stored_count(clickhouse, database)

    response, stored = asyncio.run(scenario())
    assert response.accepted_count == 3
    assert [(r.index, r.field) for r in response.rejected] == [(1, "event_id"), (3, "props_json")]
    assert stored == 3


def test_track_events_refuses_an_empty_or_oversized_call(clickhouse: PrivateClickHouse) -> None:
    async def scenario() -> list[tuple[grpc.StatusCode, str]]:
        results = []
        async with running_ingest(clickhouse.port, fresh_database()) as ingest:
            for count in (0, 1001):
                request = analytics_pb2.TrackEventsRequest(
                    events=[event(f"e{i}") for i in range(count)]
                )
                with pytest.raises(grpc.aio.AioRpcError) as raised:
                    await ingest.stub.TrackEvents(request, timeout=5)
                results.append((raised.value.code(), raised.value.details() or ""))
        return results

    for code, details in asyncio.run(scenario()):
        assert code == grpc.StatusCode.INVALID_ARGUMENT
        assert details.startswith("events:")


def test_full_buffer_answers_resource_exhausted_and_reports_not_ready() -> None:
    dead_clickhouse_port = free_port()  # nothing listens there: the buffer can only fill up

    async def scenario() -> tuple[list[bool], grpc.StatusCode, int, int]:
        settings = {
            "BATCH_SIZE": "2",
            "BUFFER_MAX_EVENTS": "4",
            "BATCH_INTERVAL_SEC": "0.05",
            "SHUTDOWN_FLUSH_TIMEOUT_SEC": "0.5",  # nothing can be flushed: do not wait long
        }
        async with running_ingest(dead_clickhouse_port, fresh_database(), **settings) as ingest:
            accepted = [
                (await ingest.stub.TrackEvent(event(f"e{i}"), timeout=5)).accepted for i in range(4)
            ]
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await ingest.stub.TrackEvent(event("e-overflow"), timeout=5)
            await asyncio.sleep(1.5)  # readiness is polled every second
            return (
                accepted,
                raised.value.code(),
                await ingest.service_health(),
                await ingest.served.health("dependency/clickhouse"),
            )

    accepted, code, health, clickhouse_health = asyncio.run(scenario())
    assert accepted == [True] * 4
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert health == health_pb2.HealthCheckResponse.NOT_SERVING
    assert clickhouse_health == health_pb2.HealthCheckResponse.NOT_SERVING
