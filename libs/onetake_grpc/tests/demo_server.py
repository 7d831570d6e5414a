"""A minimal service on the shared runtime, run as a subprocess by the shutdown tests.

Usage: demo_server.py MARKER_FILE. Logs the bound port, serves until SIGTERM, and writes
MARKER_FILE from its on_stop hook so the test can see the hook ran before exit.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import grpc

from onetake_config.common import ServerSettings
from onetake_grpc.logs import configure_logging
from onetake_grpc.runtime import GrpcService, serve_until_signalled

SETTINGS = ServerSettings(
    host="127.0.0.1",
    port=0,
    metrics_port=0,
    log_level="info",
    shutdown_grace_sec=2.0,
    dependency_check_sec=10.0,
)


def demo_service(marker: Path | None = None) -> GrpcService:
    async def write_marker() -> None:
        if marker is not None:
            marker.write_text("flushed")

    def register(server: grpc.aio.Server) -> None:
        pass

    return GrpcService(
        name="demo", service_names=["onetake.test.Demo"], register=register, on_stop=[write_marker]
    )


if __name__ == "__main__":
    # The runtime logs {"msg": "serving", "address": "127.0.0.1:PORT"} on stderr once bound.
    configure_logging("demo", "info")
    asyncio.run(serve_until_signalled(demo_service(Path(sys.argv[1])), SETTINGS))
