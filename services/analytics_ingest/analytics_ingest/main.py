"""Entry point: read settings, wire the service, serve until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import grpc

from analytics_ingest.config import IngestSettings
from onetake_config.errors import ConfigError
from onetake_grpc.runtime import GrpcService, run_service
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc

SERVICE_NAME = analytics_pb2.DESCRIPTOR.services_by_name["AnalyticsIngest"].full_name

HELP = """\
Configuration comes from environment variables and an optional .env file (the nearest one
upwards from the working directory, or $ONETAKE_ENV_FILE); the environment wins.
  GRPC_HOST, GRPC_PORT (50051), METRICS_PORT (9101, 0 = off), LOG_LEVEL (info),
  SHUTDOWN_GRACE_SEC (10), CLICKHOUSE_HOST (localhost), CLICKHOUSE_PORT (9000),
  CLICKHOUSE_USER (default), CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE (onetake),
  BATCH_SIZE (1000), BATCH_INTERVAL_SEC (1.0)
"""


class NotYetImplemented(analytics_pb2_grpc.AnalyticsIngestServicer):
    async def TrackEvent(
        self, request: analytics_pb2.TrackEventRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> analytics_pb2.TrackEventResponse:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "TrackEvent is not implemented yet")

    async def TrackEvents(
        self, request: analytics_pb2.TrackEventsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> analytics_pb2.TrackEventsResponse:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "TrackEvents is not implemented yet")


def build_service(settings: IngestSettings) -> GrpcService:
    """The composition root: the one place that wires adapters into the servicer."""

    def register(server: grpc.aio.Server) -> None:
        # TrackEvent/TrackEvents answer UNIMPLEMENTED until the ingest pipeline lands.
        analytics_pb2_grpc.add_AnalyticsIngestServicer_to_server(NotYetImplemented(), server)

    return GrpcService(name="analytics_ingest", service_names=[SERVICE_NAME], register=register)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="analytics_ingest",
        description="gRPC analytics ingest: TrackEvent(s) -> batches -> ClickHouse.",
        epilog=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.parse_args(argv)
    try:
        settings = IngestSettings.from_environment()
    except ConfigError as error:
        print(f"analytics_ingest: {error}", file=sys.stderr)
        return 2
    return run_service(build_service(settings), settings.server)


if __name__ == "__main__":
    sys.exit(main())
