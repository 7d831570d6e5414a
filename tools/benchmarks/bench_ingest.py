"""Ingest throughput against a private ClickHouse server: unary TrackEvent and batched TrackEvents.

Starts ClickHouse and the ingest service as separate processes (as in production), drives load
from this process with grpc.aio for a fixed time per mode, then waits until every accepted event
is stored and checks the stored count. Prints one line of figures per mode.

    ./pants run tools/benchmarks:bench_ingest -- --seconds 10 --batch-size 1000
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import grpc

from onetake_events.clickhouse import DriverSession
from onetake_events.queries import count_distinct_events
from onetake_grpc.healthcheck import wait_until_serving
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse, free_port
from onetake_testing.processes import start_service_process


def make_event(prefix: str, n: int) -> analytics_pb2.TrackEventRequest:
    return analytics_pb2.TrackEventRequest(
        event_id=f"{prefix}-{n}",
        user_id=f"u{n % 1000}",
        session_id=f"s{n % 5000}",
        event_name="post_view",
        route="/feed",
        entity_type="post",
        entity_id=f"p{n % 500}",
        props_json='{"source":"bench"}',
    )


async def drive(stub: Any, mode: str, seconds: float, concurrency: int, per_call: int) -> int:
    prefix = uuid.uuid4().hex[:8]
    counter = 0
    accepted = 0
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal counter, accepted
        while time.monotonic() < deadline:
            if mode == "unary":
                counter += 1
                try:
                    await stub.TrackEvent(make_event(prefix, counter), timeout=10)
                    accepted += 1
                except grpc.aio.AioRpcError as error:
                    if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
                        raise
                    await asyncio.sleep(0.01)
            else:
                start = counter
                counter += per_call
                events = [make_event(prefix, n) for n in range(start, start + per_call)]
                try:
                    response = await stub.TrackEvents(
                        analytics_pb2.TrackEventsRequest(events=events), timeout=10
                    )
                    accepted += response.accepted_count
                except grpc.aio.AioRpcError as error:
                    if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
                        raise
                    await asyncio.sleep(0.01)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return accepted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per mode")
    parser.add_argument("--batch-size", type=int, default=1000, help="BATCH_SIZE of the service")
    parser.add_argument("--unary-concurrency", type=int, default=32)
    parser.add_argument("--batch-concurrency", type=int, default=4)
    parser.add_argument("--events-per-call", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        clickhouse = PrivateClickHouse(Path(directory) / "clickhouse")
        clickhouse.start()
        database = "bench"
        port = free_port()
        service = start_service_process(
            "analytics_ingest.main",
            port,
            directory,
            {
                **clickhouse.service_environment(database),
                "LOG_LEVEL": "warning",
                "BATCH_SIZE": str(args.batch_size),
                "BATCH_INTERVAL_SEC": "1.0",
            },
        )
        try:
            if not wait_until_serving(f"127.0.0.1:{port}"):
                raise RuntimeError("the ingest service did not start")
            session = DriverSession(clickhouse.settings(database))
            total = 0
            modes = [
                ("unary", args.unary_concurrency, 1),
                ("batch", args.batch_concurrency, args.events_per_call),
            ]
            for mode, concurrency, per_call in modes:

                async def run(m: str = mode, c: int = concurrency, k: int = per_call) -> int:
                    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
                        stub: Any = analytics_pb2_grpc.AnalyticsIngestStub(channel)
                        return await drive(stub, m, args.seconds, c, k)

                started = time.monotonic()
                accepted = asyncio.run(run())
                elapsed = time.monotonic() - started
                total += accepted
                while count_distinct_events(session, database) < total:
                    time.sleep(0.05)
                stored_after = time.monotonic() - started
                print(
                    f"{mode:5s}: {accepted / elapsed:9.0f} events/s accepted "
                    f"({accepted} events in {elapsed:.1f}s, concurrency {concurrency}, "
                    f"{per_call} per call, BATCH_SIZE={args.batch_size}); "
                    f"all stored after {stored_after:.1f}s; "
                    f"end-to-end {accepted / stored_after:.0f} events/s",
                    flush=True,
                )
            stored = count_distinct_events(session, database)
            print(f"stored distinct events: {stored} (accepted {total})")
            return 0 if stored == total else 1
        finally:
            service.terminate()
            service.wait(timeout=60)
            clickhouse.stop()


if __name__ == "__main__":
    sys.exit(main())
