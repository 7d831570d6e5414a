"""Entry point: read settings, wire the service, serve until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import grpc

from onetake_config.errors import ConfigError
from onetake_grpc.runtime import GrpcService, run_service
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc
from reco_service.config import RecoSettings

SERVICE_NAME = reco_pb2.DESCRIPTOR.services_by_name["Recommendations"].full_name

HELP = """\
Configuration comes from environment variables and an optional .env file (the nearest one
upwards from the working directory, or $ONETAKE_ENV_FILE); the environment wins.
  GRPC_HOST, GRPC_PORT (50052), METRICS_PORT (9102, 0 = off), LOG_LEVEL (info),
  SHUTDOWN_GRACE_SEC (10), CLICKHOUSE_HOST (localhost), CLICKHOUSE_PORT (9000),
  CLICKHOUSE_USER (default), CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE (onetake),
  CORE_API_URL (http://localhost:8000)
"""


class NotYetImplemented(reco_pb2_grpc.RecommendationsServicer):
    async def GetRecommendations(
        self,
        request: reco_pb2.GetRecommendationsRequest,
        context: grpc.aio.ServicerContext[Any, Any],
    ) -> reco_pb2.GetRecommendationsResponse:
        await context.abort(
            grpc.StatusCode.UNIMPLEMENTED, "GetRecommendations is not implemented yet"
        )


def build_service(settings: RecoSettings) -> GrpcService:
    """The composition root: the one place that wires adapters into the servicer."""

    def register(server: grpc.aio.Server) -> None:
        # GetRecommendations answers UNIMPLEMENTED until the ranking pipeline lands.
        reco_pb2_grpc.add_RecommendationsServicer_to_server(NotYetImplemented(), server)

    return GrpcService(name="reco_service", service_names=[SERVICE_NAME], register=register)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="reco_service",
        description="gRPC recommendations: similar_by_tags (Core API) + trending (ClickHouse).",
        epilog=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.parse_args(argv)
    try:
        settings = RecoSettings.from_environment()
    except ConfigError as error:
        print(f"reco_service: {error}", file=sys.stderr)
        return 2
    return run_service(build_service(settings), settings.server)


if __name__ == "__main__":
    sys.exit(main())
