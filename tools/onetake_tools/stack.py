"""The whole system on this machine with one command: a private ClickHouse server, the Core
stand-in serving a demo catalog, both services, and demo traffic. Ctrl-C stops everything.

    ./pants run tools/stack                       # ports 50051, 50052, 8000; Ctrl-C to stop
    ./pants run tools/stack -- --exit-after-demo  # bring up, show recommendations, stop
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import grpc

from onetake_events.clickhouse import DriverSession
from onetake_events.queries import count_distinct_events
from onetake_grpc.healthcheck import wait_until_serving
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc
from onetake_testing.clickhouse_server import PrivateClickHouse, free_port, server_binary
from onetake_testing.core_standin import CoreStandIn
from onetake_testing.processes import start_service_process
from onetake_tools.cli import format_items
from onetake_tools.demo import DEMO_CATALOG, demo_post_views

DATABASE = "onetake"


def say(message: str) -> None:
    print(f"[stack] {message}", flush=True)


def ensure_clickhouse_installed() -> None:
    """Install Debian's clickhouse-server when missing and allowed; else say what to install."""
    try:
        server_binary()
        return
    except RuntimeError:
        pass
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("clickhouse-server is missing: installing Debian's package (once)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = [
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "clickhouse-server",
        ]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
            subprocess.run(install, env=env, check=True, capture_output=True)
        server_binary()
        return
    raise SystemExit(
        "clickhouse-server is needed for the local stack. Install it, e.g.\n"
        "  Debian/Ubuntu: sudo apt-get install clickhouse-server\n"
        "  macOS:         brew install clickhouse  (then CLICKHOUSE_SERVER_BIN=<wrapper running"
        " 'clickhouse server \"$@\"'>)\n"
        "or point CLICKHOUSE_SERVER_BIN at a clickhouse-server binary."
    )


def stop_process(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def send_demo_traffic(ingest_address: str, count: int) -> int:
    events = list(demo_post_views(count, int(time.time() * 1000)))
    accepted = 0
    with grpc.insecure_channel(ingest_address) as channel:
        stub: Any = analytics_pb2_grpc.AnalyticsIngestStub(channel)
        for start in range(0, len(events), 500):
            request = analytics_pb2.TrackEventsRequest(events=events[start : start + 500])
            accepted += stub.TrackEvents(request, timeout=10).accepted_count
    return accepted


def show_recommendations(reco_address: str, timeout_sec: float = 30.0) -> bool:
    """Print a few live recommendations once trending has picked up the demo traffic."""
    with grpc.insecure_channel(reco_address) as channel:
        stub: Any = reco_pb2_grpc.RecommendationsStub(channel)
        deadline = time.monotonic() + timeout_sec
        plain = stub.GetRecommendations(reco_pb2.GetRecommendationsRequest(limit=5), timeout=5)
        while not plain.items and time.monotonic() < deadline:
            time.sleep(0.5)
            plain = stub.GetRecommendations(reco_pb2.GetRecommendationsRequest(limit=5), timeout=5)
        tagged = stub.GetRecommendations(
            reco_pb2.GetRecommendationsRequest(
                limit=8, context_tags=["python", "grpc"], context_post_id="post-001"
            ),
            timeout=5,
        )
    say("recommendations, no context (trending):")
    print(format_items(plain.items))
    say("recommendations for context_tags=python,grpc, context_post_id=post-001:")
    print(format_items(tagged.items))
    reasons = {item.reason for item in tagged.items}
    return bool(plain.items) and "similar_by_tags" in reasons


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ingest-port", type=int, default=50051, help="0 = any free port")
    parser.add_argument("--reco-port", type=int, default=50052, help="0 = any free port")
    parser.add_argument("--core-port", type=int, default=8000, help="0 = any free port")
    parser.add_argument("--demo-events", type=int, default=3000)
    parser.add_argument("--exit-after-demo", action="store_true", help="stop after the demo")
    args = parser.parse_args(argv)
    started = time.monotonic()
    ensure_clickhouse_installed()

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    workdir = tempfile.mkdtemp(prefix="onetake-stack-")
    clickhouse = PrivateClickHouse(Path(workdir) / "clickhouse")
    core = CoreStandIn(DEMO_CATALOG, port=args.core_port)
    processes: list[subprocess.Popen[str]] = []
    ok = False
    try:
        clickhouse.start()
        say(f"ClickHouse {clickhouse.host}:{clickhouse.port} (data in {workdir}/clickhouse)")
        core.start()
        say(f"Core stand-in {core.url} ({len(DEMO_CATALOG)} demo posts)")
        ports = {
            "ingest": args.ingest_port or free_port(),
            "reco": args.reco_port or free_port(),
        }
        for module, role, extra in (
            ("analytics_ingest.main", "ingest", {"BATCH_INTERVAL_SEC": "0.5"}),
            ("reco_service.main", "reco", {"CORE_API_URL": core.url, "TRENDING_REFRESH_SEC": "2"}),
        ):
            with (Path(workdir) / f"{role}.log").open("w") as log:
                processes.append(
                    start_service_process(
                        module,
                        ports[role],
                        workdir,
                        {**clickhouse.service_environment(DATABASE), **extra},
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        addresses = {role: f"127.0.0.1:{port}" for role, port in ports.items()}
        for role, address in addresses.items():
            if not wait_until_serving(address, 60):
                say(f"{role} did not start; the end of its log:")
                print((Path(workdir) / f"{role}.log").read_text(errors="replace")[-3000:])
                return 1
        say(f"analytics_ingest on {addresses['ingest']}, reco_service on {addresses['reco']}")
        say(f"up in {time.monotonic() - started:.1f}s; sending {args.demo_events} demo post views")
        accepted = send_demo_traffic(addresses["ingest"], args.demo_events)
        session = DriverSession(clickhouse.settings(DATABASE))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if count_distinct_events(session, DATABASE) >= accepted:
                    break
            except Exception:
                pass  # the table appears with the first batch
            time.sleep(0.2)
        session.disconnect()
        ok = show_recommendations(addresses["reco"])
        say(f"ready in {time.monotonic() - started:.1f}s. Try:")
        # --concurrent: this pants run holds pantsd; a second one must not wait for it.
        cli = "./pants --concurrent run tools/cli --"
        print(f"  {cli} recommend --address {addresses['reco']} --tags rust")
        print(f"  {cli} track --address {addresses['ingest']} --entity-id post-007")
        print(f"  service logs: {workdir}/*.log")
        if not args.exit_after_demo:
            say("running; Ctrl-C stops everything")
            while not stop.wait(1):
                if any(p.poll() is not None for p in processes):
                    say(f"a service exited; see {workdir}/*.log")
                    return 1
        return 0 if ok else 1
    finally:
        say("stopping")
        for process in processes:
            stop_process(process)
        core.stop()
        clickhouse.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        say("stopped; nothing left running")


if __name__ == "__main__":
    sys.exit(main())
