"""Entry point and composition root: read settings, wire the adapters, serve until SIGTERM."""

from __future__ import annotations

import asyncio
import sys

import grpc

from onetake_events.clickhouse import DriverSession
from onetake_grpc.cli import service_main
from onetake_grpc.runtime import GrpcService
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc
from reco_service import metrics
from reco_service.config import RecoSettings
from reco_service.core_client import CoreApiClient
from reco_service.seen_filter import SeenPostsFilter
from reco_service.servicer import RecommendationsServicer
from reco_service.trending import TrendingCache

SERVICE_NAME = reco_pb2.DESCRIPTOR.services_by_name["Recommendations"].full_name

VARIABLES_HELP = """\
  GRPC_HOST (0.0.0.0), GRPC_PORT (50052), METRICS_PORT (9102, 0 = off), LOG_LEVEL (info),
  SHUTDOWN_GRACE_SEC (10), DEPENDENCY_CHECK_SEC (10), CLICKHOUSE_HOST (localhost),
  CLICKHOUSE_PORT (9000), CLICKHOUSE_USER (default), CLICKHOUSE_PASSWORD,
  CLICKHOUSE_DATABASE (onetake),
  CORE_API_URL (http://localhost:8000), CORE_CONNECT_TIMEOUT_SEC (0.3),
  CORE_READ_TIMEOUT_SEC (0.5), CORE_CACHE_TTL_SEC (30), CORE_BREAKER_FAILURES (5),
  CORE_BREAKER_RESET_SEC (10), TRENDING_REFRESH_SEC (30), TRENDING_SIZE (500),
  TRENDING_QUERY_TIMEOUT_SEC (10), SEEN_FILTER_ENABLED (true), SEEN_WINDOW_HOURS (72),
  SEEN_FILTER_TIMEOUT_SEC (0.2)
See README.md for details.
"""


def build_service(settings: RecoSettings) -> GrpcService:
    """The one place that wires the real adapters into the servicer."""

    def connect() -> DriverSession:
        return DriverSession(settings.clickhouse, timeout_sec=settings.trending.query_timeout_sec)

    database = settings.clickhouse.database
    core = CoreApiClient(settings.core, check_when_idle_sec=settings.server.dependency_check_sec)
    metrics.CORE_CIRCUIT_OPEN.set_function(lambda: float(core.breaker.is_open))
    trending = TrendingCache(connect, database, settings.trending.list_size)
    seen = (
        SeenPostsFilter(connect, database, settings.seen.window_hours, settings.seen.timeout_sec)
        if settings.seen.enabled
        else None
    )
    background: list[asyncio.Task[None]] = []

    async def start_background_work() -> None:
        # One refresh before serving, so a healthy ClickHouse gives trending from the first call.
        await trending.refresh(settings.trending.query_timeout_sec)
        loop = asyncio.get_running_loop()
        background.append(
            loop.create_task(
                trending.run(settings.trending.refresh_sec, settings.trending.query_timeout_sec)
            )
        )
        background.append(loop.create_task(core.health.watch()))

    async def stop_background_work() -> None:
        for task in background:
            task.cancel()
        core.close()
        if seen is not None:
            seen.close()

    def register(server: grpc.aio.Server) -> None:
        reco_pb2_grpc.add_RecommendationsServicer_to_server(
            RecommendationsServicer(core, trending, seen), server
        )

    return GrpcService(
        name="reco_service",
        service_names=[SERVICE_NAME],
        register=register,
        on_start=[start_background_work],
        on_stop=[stop_background_work],
        dependencies={
            "core": lambda: core.health.healthy,
            "clickhouse": lambda: trending.last_refresh_ok,
        },
    )


def main(argv: list[str] | None = None) -> int:
    return service_main(
        prog="reco_service",
        description="gRPC recommendations: similar_by_tags (Core API) + trending (ClickHouse).",
        variables_help=VARIABLES_HELP,
        load_settings=RecoSettings.from_environment,
        build_service=build_service,
        argv=argv,
    )


if __name__ == "__main__":
    sys.exit(main())
