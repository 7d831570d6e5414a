"""Nothing accepted is lost: across a ClickHouse outage under traffic, and across SIGTERM."""

import asyncio
import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from analytics_ingest import metrics
from analytics_ingest.tests.harness import (
    event,
    fresh_database,
    ingest_environment,
    running_ingest,
    stored_count,
)
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse, free_port
from onetake_testing.processes import start_service_process, wait_for_serving_log
from onetake_testing.waiting import poll_until, wait_until

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def insert_retries() -> float:
    return sum(
        sample.value
        for metric in metrics.INSERT_RETRIES.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
    )


def test_clickhouse_outage_under_traffic_loses_and_duplicates_nothing(
    clickhouse: PrivateClickHouse,
) -> None:
    database = fresh_database()
    rounds, per_round = 30, 20

    async def scenario() -> int:
        overrides = {"BATCH_SIZE": "50", "BATCH_INTERVAL_SEC": "0.1"}
        async with running_ingest(clickhouse.port, database, **overrides) as ingest:
            accepted = 0
            for round_number in range(rounds):
                if round_number == 10:
                    await asyncio.to_thread(clickhouse.kill)
                if round_number == 20:
                    await asyncio.to_thread(clickhouse.start)
                batch = [event(f"r{round_number}-{i}") for i in range(per_round - 1)]
                response = await ingest.stub.TrackEvents(
                    analytics_pb2.TrackEventsRequest(events=batch), timeout=5
                )
                single = await ingest.stub.TrackEvent(event(f"r{round_number}-single"), timeout=5)
                accepted += response.accepted_count + int(single.accepted)
                await asyncio.sleep(0.1)
            assert await wait_until(lambda: stored_count(clickhouse, database) >= accepted, 30)
        return accepted

    retries_before = insert_retries()
    accepted = asyncio.run(scenario())
    assert insert_retries() > retries_before  # the outage really made inserts fail
    assert accepted == rounds * per_round
    assert stored_count(clickhouse, database) == accepted


def clickhouse_up_gauge() -> float:
    (metric,) = metrics.CLICKHOUSE_UP.collect()
    return float(metric.samples[0].value)


def test_an_idle_service_reports_clickhouse_going_away_and_coming_back(
    clickhouse: PrivateClickHouse,
) -> None:
    async def scenario() -> tuple[int, int, float, int]:
        overrides = {"DEPENDENCY_CHECK_SEC": "0.2"}
        async with running_ingest(clickhouse.port, fresh_database(), **overrides) as ingest:
            health = ingest.served.health_once_settled
            before = await health("dependency/clickhouse", SERVING)
            await asyncio.to_thread(clickhouse.kill)  # no event is sent: only checks can tell
            try:
                while_away = await health("dependency/clickhouse", NOT_SERVING)
                gauge_while_away = clickhouse_up_gauge()
            finally:
                await asyncio.to_thread(clickhouse.start)
            after = await health("dependency/clickhouse", SERVING, within_sec=20)
            return before, while_away, gauge_while_away, after

    before, while_away, gauge_while_away, after = asyncio.run(scenario())
    assert before == SERVING
    assert while_away == NOT_SERVING
    assert gauge_while_away == 0.0
    assert after == SERVING


def start_ingest_process(
    clickhouse_port: int, database: str, cwd: Path, port: int, **overrides: str
) -> subprocess.Popen[str]:
    """The real entry point as a child process; only shutdown flushes (huge batch and interval).

    Its write-ahead log lives in cwd/data/ingest-wal, so a restart in the same cwd replays it.
    """
    process = start_service_process(
        "analytics_ingest.main",
        port,
        cwd,
        {
            **ingest_environment(clickhouse_port, database),
            "BATCH_SIZE": "100000",
            "BATCH_INTERVAL_SEC": "3600",
            "SHUTDOWN_FLUSH_TIMEOUT_SEC": "2",
            "INGEST_WAL_DIR": str(cwd / "data" / "ingest-wal"),
            **overrides,
        },
        stderr=subprocess.PIPE,
    )
    wait_for_serving_log(process)
    return process


def send_events(port: int, prefix: str, count: int) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub: Any = analytics_pb2_grpc.AnalyticsIngestStub(channel)
        events = [event(f"{prefix}-{i}") for i in range(count)]
        response = stub.TrackEvents(analytics_pb2.TrackEventsRequest(events=events), timeout=5)
        assert response.accepted_count == count


def test_sigterm_flushes_everything_buffered_and_exits_zero(
    clickhouse: PrivateClickHouse, tmp_path: Path
) -> None:
    database = fresh_database()
    port = free_port()
    process = start_ingest_process(clickhouse.port, database, tmp_path, port)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            health: Any = health_pb2_grpc.HealthStub(channel)
            status = health.Check(health_pb2.HealthCheckRequest(), timeout=5).status
            assert status == health_pb2.HealthCheckResponse.SERVING
        send_events(port, "term", 25)
        assert stored_count(clickhouse, database) == 0
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert stored_count(clickhouse, database) == 25
    finally:
        process.kill()


def test_sigterm_with_clickhouse_away_keeps_events_for_the_next_start(
    clickhouse: PrivateClickHouse, tmp_path: Path
) -> None:
    database, port = fresh_database(), free_port()
    process = start_ingest_process(free_port(), database, tmp_path, port)  # ClickHouse away
    try:
        send_events(port, "kept", 7)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 1  # the flush did not complete: say so
        assert process.stderr is not None
        records = [json.loads(line) for line in process.stderr if line.startswith("{")]
        assert any("write-ahead log" in r["msg"] and r.get("events") == 7 for r in records)
    finally:
        process.kill()
    restarted = start_ingest_process(clickhouse.port, database, tmp_path, port)
    try:
        restarted.send_signal(signal.SIGTERM)  # replayed events are flushed at shutdown
        assert restarted.wait(timeout=30) == 0
        assert stored_count(clickhouse, database) == 7
    finally:
        restarted.kill()


def test_a_crash_loses_no_acknowledged_event(clickhouse: PrivateClickHouse, tmp_path: Path) -> None:
    database, port = fresh_database(), free_port()
    # Half the events reach ClickHouse before the crash (small batches), half are only buffered.
    process = start_ingest_process(clickhouse.port, database, tmp_path, port, BATCH_SIZE="50")
    try:
        send_events(port, "stored", 100)
        assert poll_until(lambda: stored_count(clickhouse, database) >= 100, 15)
        clickhouse.kill()
        send_events(port, "buffered", 30)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        process.kill()
        clickhouse.start()
    restarted = start_ingest_process(clickhouse.port, database, tmp_path, port)
    try:
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(timeout=30) == 0
        assert stored_count(clickhouse, database) == 130
    finally:
        restarted.kill()
