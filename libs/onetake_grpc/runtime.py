"""Runs a gRPC service: health and reflection, metrics, signal handling and graceful shutdown.

Each service describes itself as a `GrpcService`; `run_service` (or `serve` for tests and tools)
owns the process lifecycle so the services only contain their own logic.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection

from onetake_config.common import ServerSettings
from onetake_grpc.logs import configure_logging
from onetake_grpc.metrics import RpcMetricsInterceptor, start_metrics_endpoint

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[None]]

# Limits every service shares: a request above this size is refused before it is parsed, and
# RPCs beyond this many at once get RESOURCE_EXHAUSTED instead of queueing without bound.
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
MAX_CONCURRENT_RPCS = 1000


@dataclass
class GrpcService:
    """What a service contributes: its servicers and the start/stop work around serving."""

    name: str  # short name for logs, e.g. "analytics_ingest"
    service_names: Sequence[str]  # fully-qualified gRPC service names, for health and reflection
    register: Callable[[grpc.aio.Server], None]  # adds the servicers to the server
    on_start: Sequence[Hook] = field(default_factory=list)  # run before the port opens
    on_stop: Sequence[Hook] = field(default_factory=list)  # run after the last RPC finished
    # Polled every second while serving: False reports the service names NOT_SERVING (the overall
    # "" status stays SERVING, so an orchestrator stops routing here without killing the process).
    readiness: Callable[[], bool] | None = None
    # Polled every second too, and reported under the health name "dependency/<key>", so that
    # operators can see which dependency is down while the service keeps answering (degraded).
    dependencies: Mapping[str, Callable[[], bool]] = field(default_factory=dict)


def serving_status(healthy: bool) -> int:
    return (
        health_pb2.HealthCheckResponse.SERVING
        if healthy
        else health_pb2.HealthCheckResponse.NOT_SERVING
    )


class RunningServer:
    """A started server: its bound port, its health servicer, and a way to stop it gracefully."""

    def __init__(
        self,
        service: GrpcService,
        server: grpc.aio.Server,
        health: HealthServicer,
        port: int,
        grace_sec: float,
    ) -> None:
        self.service = service
        self.server = server
        self.health = health
        self.port = port
        self._grace_sec = grace_sec
        self._stopped = asyncio.Event()
        self._stopping = False
        self._readiness_task: asyncio.Task[None] | None = None
        self.clean_stop = True  # False when an on_stop hook failed

    async def set_serving(self, serving: bool) -> None:
        """Report the server ("") and every service name as SERVING or NOT_SERVING."""
        for name in ("", *self.service.service_names):
            await self.health.set(name, serving_status(serving))

    def _probes(self) -> dict[str, Callable[[], bool]]:
        probes = {f"dependency/{name}": check for name, check in self.service.dependencies.items()}
        readiness = self.service.readiness
        if readiness is not None:
            probes.update({name: readiness for name in self.service.service_names})
        return probes

    def watch_readiness(self, period_sec: float = 1.0) -> None:
        """Poll the service's readiness and dependency probes; report changes to health."""
        probes = self._probes()
        if not probes:
            return

        async def poll() -> None:
            last: dict[str, bool] = {}
            while True:
                for name, probe in probes.items():
                    healthy = probe()
                    if last.get(name) != healthy:
                        await self.health.set(name, serving_status(healthy))
                        log.info("health changed", extra={"check": name, "healthy": healthy})
                        last[name] = healthy
                await asyncio.sleep(period_sec)

        self._readiness_task = asyncio.get_running_loop().create_task(poll())

    async def stop(self) -> None:
        """Report NOT_SERVING, refuse new RPCs, let running ones finish, then run on_stop hooks."""
        if self._stopping:
            await self._stopped.wait()
            return
        self._stopping = True
        log.info("shutting down", extra={"grace_sec": self._grace_sec})
        if self._readiness_task is not None:
            self._readiness_task.cancel()
        await self.health.enter_graceful_shutdown()
        await self.server.stop(self._grace_sec)
        for hook in self.service.on_stop:
            try:
                await hook()
            except Exception:
                self.clean_stop = False  # e.g. buffered events could not be written: exit non-zero
                log.exception("shutdown hook failed")
        log.info("stopped")
        self._stopped.set()


async def start(service: GrpcService, settings: ServerSettings) -> RunningServer:
    """Run on_start hooks, bind the port (0 picks a free one) and start serving."""
    for hook in service.on_start:
        await hook()
    server = grpc.aio.server(
        interceptors=[RpcMetricsInterceptor()],
        maximum_concurrent_rpcs=MAX_CONCURRENT_RPCS,
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.so_reuseport", 0),
        ],
    )
    service.register(server)
    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    reflection.enable_server_reflection(
        [
            *service.service_names,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    address = f"{settings.host}:{settings.port}"
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot bind gRPC port {address}")
    await server.start()
    running = RunningServer(service, server, health, port, settings.shutdown_grace_sec)
    await running.set_serving(True)
    running.watch_readiness()
    log.info("serving", extra={"address": f"{settings.host}:{port}"})
    return running


async def serve_until_signalled(service: GrpcService, settings: ServerSettings) -> bool:
    """Serve until SIGTERM or SIGINT, then shut down gracefully; True if the stop was clean.

    Signal handlers are installed before start-up, so a signal that arrives while the start hooks
    run (or right after the port opens) still gives a graceful stop.
    """
    loop = asyncio.get_running_loop()
    stop_requested = asyncio.Event()

    def on_signal(signum: int) -> None:
        log.info("signal received", extra={"signal": signal.Signals(signum).name})
        stop_requested.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        running = await start(service, settings)
    except Exception as error:  # a start hook or the port: say why, in one line, and exit 1
        log.error("cannot start", extra={"error": f"{type(error).__name__}: {error}"})
        return False
    await stop_requested.wait()
    await running.stop()
    return running.clean_stop


def run_service(service: GrpcService, settings: ServerSettings) -> int:
    """Process entry point: logging, metrics endpoint, serve; returns the exit code."""
    configure_logging(service.name, settings.log_level)
    start_metrics_endpoint(settings.host, settings.metrics_port)
    try:
        clean = asyncio.run(serve_until_signalled(service, settings))
    except OSError as error:
        log.error("cannot start", extra={"error": str(error)})
        return 1
    return 0 if clean else 1
