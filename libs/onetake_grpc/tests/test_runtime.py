import asyncio
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from onetake_grpc.runtime import start
from onetake_grpc.tests.demo_server import SETTINGS, demo_service
from onetake_testing.processes import child_python_environment, wait_for_serving_log

HealthStatus = health_pb2.HealthCheckResponse


async def check_health(port: int, service: str = "") -> int:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        # The third-party stubs type HealthStub for sync channels only.
        stub: Any = health_pb2_grpc.HealthStub(channel)
        response = await stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        return int(response.status)


def test_health_reports_serving_for_the_server_and_each_service() -> None:
    async def scenario() -> None:
        server = await start(demo_service(), SETTINGS)
        try:
            assert await check_health(server.port) == HealthStatus.SERVING
            assert await check_health(server.port, "onetake.test.Demo") == HealthStatus.SERVING
        finally:
            await server.stop()

    asyncio.run(scenario())


def test_reflection_lists_the_service_and_health() -> None:
    async def scenario() -> list[str]:
        server = await start(demo_service(), SETTINGS)
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
                stub: Any = reflection_pb2_grpc.ServerReflectionStub(channel)  # type: ignore[arg-type]
                request = reflection_pb2.ServerReflectionRequest(list_services="")
                call = stub.ServerReflectionInfo(iter([request]), timeout=5)
                async for response in call:
                    return [s.name for s in response.list_services_response.service]
            return []
        finally:
            await server.stop()

    names = asyncio.run(scenario())
    assert {"onetake.test.Demo", "grpc.health.v1.Health"} <= set(names)


def test_set_serving_false_is_reported_to_health_checks() -> None:
    async def scenario() -> int:
        server = await start(demo_service(), SETTINGS)
        try:
            await server.set_serving(False)
            return await check_health(server.port, "onetake.test.Demo")
        finally:
            await server.stop()

    assert asyncio.run(scenario()) == HealthStatus.NOT_SERVING


def test_stop_tells_watchers_not_serving_before_closing() -> None:
    async def scenario() -> list[int]:
        server = await start(demo_service(), SETTINGS)
        seen: list[int] = []
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub: Any = health_pb2_grpc.HealthStub(channel)
            watch = stub.Watch(health_pb2.HealthCheckRequest(service=""))
            seen.append((await watch.read()).status)
            stopping = asyncio.create_task(server.stop())
            seen.append((await watch.read()).status)
            await stopping
        return seen

    assert asyncio.run(scenario()) == [HealthStatus.SERVING, HealthStatus.NOT_SERVING]


def test_sigterm_runs_stop_hooks_and_exits_zero(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    env = child_python_environment()
    process = subprocess.Popen(
        [sys.executable, "-m", "onetake_grpc.tests.demo_server", str(marker)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        port = wait_for_serving_log(process)
        assert asyncio.run(check_health(port)) == HealthStatus.SERVING
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert marker.read_text() == "flushed"
    finally:
        process.kill()
