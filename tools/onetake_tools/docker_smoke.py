"""Smoke test of the service images: each container against a private ClickHouse and the Core
stand-in, checked through its Docker HEALTHCHECK, the gRPC health service and one real RPC.

    ./pants run tools/smoke -- --ingest-image onetake/analytics_ingest:latest \
        --reco-image onetake/reco_service:latest
Needs a Docker daemon ($DOCKER_HOST) whose containers can use the host network.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import grpc

from onetake_events.clickhouse import DriverSession
from onetake_events.queries import count_distinct_events
from onetake_grpc.healthcheck import wait_until_serving
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse, free_port
from onetake_testing.core_standin import CoreStandIn
from onetake_testing.waiting import poll_until
from onetake_tools.demo import DEMO_CATALOG, demo_post_views


def docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def run_container(image: str, name: str, env: dict[str, str]) -> None:
    flags = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    docker("run", "-d", "--rm", "--network", "host", "--name", name, *flags, image)


def image_size_mb(image: str) -> float:
    return int(docker("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000


def docker_health(name: str) -> str:
    return docker("inspect", "--format", "{{.State.Health.Status}}", name)


def is_healthy(container: str) -> bool:
    return docker_health(container) == "healthy"


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.passed += ok
        self.failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ingest-image", default="onetake/analytics_ingest:latest")
    parser.add_argument("--reco-image", default="onetake/reco_service:latest")
    args = parser.parse_args(argv)
    checks = Checks()
    for image in (args.ingest_image, args.reco_image):
        print(f"image {image}: {image_size_mb(image):.0f} MB", flush=True)
    suffix = str(int(time.time()))
    names = {"ingest": f"smoke-ingest-{suffix}", "reco": f"smoke-reco-{suffix}"}
    with tempfile.TemporaryDirectory() as directory:
        clickhouse = PrivateClickHouse(Path(directory) / "clickhouse")
        clickhouse.start()
        core = CoreStandIn(DEMO_CATALOG).start()
        ports = {"ingest": free_port(), "reco": free_port()}
        common = {
            "CLICKHOUSE_HOST": "127.0.0.1",
            "CLICKHOUSE_PORT": str(clickhouse.port),
            "CLICKHOUSE_DATABASE": "smoke",
            "METRICS_PORT": "0",
        }
        try:
            run_container(
                args.ingest_image,
                names["ingest"],
                {**common, "GRPC_PORT": str(ports["ingest"]), "BATCH_INTERVAL_SEC": "0.2"},
            )
            run_container(
                args.reco_image,
                names["reco"],
                {
                    **common,
                    "GRPC_PORT": str(ports["reco"]),
                    "CORE_API_URL": core.url,
                    "TRENDING_REFRESH_SEC": "1",
                },
            )
            for role in ("ingest", "reco"):
                address = f"127.0.0.1:{ports[role]}"
                checks.check(f"{role}: gRPC health SERVING", wait_until_serving(address, 60))
                healthy = poll_until(partial(is_healthy, names[role]), 60, 0.5)
                checks.check(
                    f"{role}: Docker HEALTHCHECK healthy", healthy, docker_health(names[role])
                )

            with grpc.insecure_channel(f"127.0.0.1:{ports['ingest']}") as channel:
                ingest: Any = analytics_pb2_grpc.AnalyticsIngestStub(channel)
                events = list(demo_post_views(200, int(time.time() * 1000)))
                response = ingest.TrackEvents(
                    analytics_pb2.TrackEventsRequest(events=events), timeout=10
                )
                checks.check("ingest: TrackEvents accepted", response.accepted_count == 200)
            session = DriverSession(clickhouse.settings("smoke"))

            def stored() -> bool:
                try:
                    return count_distinct_events(session, "smoke") == 200
                except Exception:
                    return False

            checks.check("ingest: events stored in ClickHouse", poll_until(stored, 30, 0.5))

            with grpc.insecure_channel(f"127.0.0.1:{ports['reco']}") as channel:
                reco: Any = reco_pb2_grpc.RecommendationsStub(channel)
                request = reco_pb2.GetRecommendationsRequest(limit=40, context_tags=["grpc"])

                def has_both_reasons() -> bool:
                    items = reco.GetRecommendations(request, timeout=5).items
                    reasons = {item.reason for item in items}
                    return "similar_by_tags" in reasons and "trending_views_24h" in reasons

                checks.check(
                    "reco: GetRecommendations gives similar and trending posts",
                    poll_until(has_both_reasons, 30, 0.5),
                )
        except subprocess.CalledProcessError as error:
            checks.check("docker", False, f"{error.cmd}: {error.stderr}")
        finally:
            for name in names.values():
                if checks.failed:
                    logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True)
                    print(f"--- logs of {name}:\n{logs.stdout[-3000:]}{logs.stderr[-3000:]}")
                subprocess.run(["docker", "rm", "-f", name], capture_output=True)
            core.stop()
            clickhouse.stop()
    print(f"smoke: {checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
