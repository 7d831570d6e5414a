"""Runs a service built by its composition root in-process on a free loopback port."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from onetake_config.common import ServerSettings
from onetake_grpc.runtime import GrpcService, RunningServer, start


@dataclasses.dataclass
class Served:
    server: RunningServer
    channel: grpc.aio.Channel

    async def health(self, name: str = "") -> int:
        """Health status of `name` ("" = the whole server), as a client sees it."""
        stub: Any = health_pb2_grpc.HealthStub(self.channel)
        request = health_pb2.HealthCheckRequest(service=name)
        return int((await stub.Check(request, timeout=5)).status)

    async def health_once_settled(self, name: str, expected: int, within_sec: float = 10.0) -> int:
        """Poll `name` until it reports `expected` or `within_sec` passed; the last status seen.

        Health is updated by a poller, so a change shows a moment after its cause."""
        deadline = time.monotonic() + within_sec
        while (status := await self.health(name)) != expected and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return status


@asynccontextmanager
async def serving(service: GrpcService, settings: ServerSettings) -> AsyncIterator[Served]:
    """Start on 127.0.0.1 with a free port, yield a channel to it, stop gracefully after."""
    local = dataclasses.replace(settings, host="127.0.0.1", port=0, metrics_port=0)
    server = await start(service, local)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            yield Served(server, channel)
    finally:
        await server.stop()
