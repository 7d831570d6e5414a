"""GetRecommendations latency from a real client: p50/p99 with and without context tags.

Starts a private ClickHouse seeded with post views, the Core stand-in with a tagged catalog, and
the reco service as a separate process; then sends sequential requests per scenario and prints
latency percentiles.

    ./pants run tools/benchmarks:bench_reco -- --requests 2000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import grpc

from onetake_events.clickhouse import DriverSession
from onetake_events.migrations import ensure_schema
from onetake_grpc.healthcheck import wait_until_serving
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse, free_port
from onetake_testing.core_standin import CoreStandIn
from onetake_testing.events import insert_post_views, utc_now
from onetake_testing.processes import start_service_process

TAGS = [f"tag{i}" for i in range(50)]


def seed(clickhouse: PrivateClickHouse, database: str, posts: int, views: int) -> None:
    rng = random.Random(7)
    session = DriverSession(clickhouse.settings(database))
    ensure_schema(session, database)
    now = utc_now()
    batch = []
    for n in range(views):
        post = f"p{min(int(rng.paretovariate(1.2)), posts)}"
        batch.append(
            (f"v{n}", f"u{rng.randrange(10_000)}", post, now - timedelta(hours=rng.uniform(0, 80)))
        )
        if len(batch) == 50_000:
            insert_post_views(session, database, batch)
            batch = []
    if batch:
        insert_post_views(session, database, batch)
    session.disconnect()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(port: int, requests: list[reco_pb2.GetRecommendationsRequest]) -> list[float]:
    latencies = []
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub: Any = reco_pb2_grpc.RecommendationsStub(channel)
        for request in requests:
            started = time.perf_counter()
            await stub.GetRecommendations(request, timeout=5)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--views", type=int, default=300_000)
    args = parser.parse_args()
    rng = random.Random(1)
    catalog = {f"p{i}": rng.sample(TAGS, 3) for i in range(1, args.posts + 1)}

    with tempfile.TemporaryDirectory() as directory:
        clickhouse = PrivateClickHouse(Path(directory) / "clickhouse")
        clickhouse.start()
        core = CoreStandIn(catalog).start()
        database = "bench"
        seed(clickhouse, database, args.posts, args.views)
        port = free_port()
        service = start_service_process(
            "reco_service.main",
            port,
            directory,
            {
                **clickhouse.service_environment(database),
                "LOG_LEVEL": "warning",
                "CORE_API_URL": core.url,
            },
        )
        try:
            if not wait_until_serving(f"127.0.0.1:{port}"):
                raise RuntimeError("the reco service did not start")
            scenarios: dict[str, Callable[[int], reco_pb2.GetRecommendationsRequest]] = {
                "no tags, anonymous": lambda i: reco_pb2.GetRecommendationsRequest(limit=20),
                "3 tags (cached after first)": lambda i: reco_pb2.GetRecommendationsRequest(
                    limit=20, context_tags=rng.sample(TAGS, 3), context_post_id=f"p{i % 100}"
                ),
                "3 new tags (Core called)": lambda i: reco_pb2.GetRecommendationsRequest(
                    limit=20, context_tags=[f"new{i}-{k}" for k in range(3)]
                ),
                "no tags, user (seen filter)": lambda i: reco_pb2.GetRecommendationsRequest(
                    limit=20, user_id=f"u{i % 10_000}"
                ),
            }
            for name, make in scenarios.items():
                requests = [make(i) for i in range(args.requests)]
                asyncio.run(measure(port, requests[:50]))  # warm-up
                latencies = asyncio.run(measure(port, requests))
                print(
                    f"{name:30s} p50 {statistics.median(latencies):6.2f} ms  "
                    f"p99 {percentile(latencies, 0.99):6.2f} ms  "
                    f"max {max(latencies):6.2f} ms  ({len(latencies)} sequential requests)",
                    flush=True,
                )
            return 0
        finally:
            service.terminate()
            service.wait(timeout=60)
            core.stop()
            clickhouse.stop()


if __name__ == "__main__":
    sys.exit(main())
