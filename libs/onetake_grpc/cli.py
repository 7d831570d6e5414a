"""The command line every service shares: `--help`, `--health-check`, config errors, serving."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Protocol, TypeVar

from onetake_config.common import ServerSettings
from onetake_config.errors import ConfigError
from onetake_grpc.healthcheck import SERVING, health_status
from onetake_grpc.runtime import GrpcService, run_service

ENV_HELP = """\
Configuration comes from environment variables and an optional .env file (the nearest one
upwards from the working directory, or $ONETAKE_ENV_FILE); the environment wins.
"""


class HasServer(Protocol):
    @property
    def server(self) -> ServerSettings: ...


SettingsT = TypeVar("SettingsT", bound=HasServer)


def service_main(
    prog: str,
    description: str,
    variables_help: str,
    load_settings: Callable[[], SettingsT],
    build_service: Callable[[SettingsT], GrpcService],
    argv: list[str] | None = None,
) -> int:
    """Parse the command line, load settings (exit 2 naming bad variables), then serve."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog=ENV_HELP + variables_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--health-check",
        action="store_true",
        help="ask the running service on 127.0.0.1:$GRPC_PORT for its health; exit 0 if SERVING",
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    if args.health_check:
        address = f"127.0.0.1:{settings.server.port}"
        status = health_status(address)
        print(f"{address}: {status}")
        return 0 if status == SERVING else 1
    return run_service(build_service(settings), settings.server)
