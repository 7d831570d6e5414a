"""A gRPC health probe for container HEALTHCHECKs and scripts: `<service> --health-check`."""

from __future__ import annotations

import time
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

SERVING = "SERVING"
UNKNOWN_SERVICE = "UNKNOWN_SERVICE"  # the server answered but does not know that name
UNREACHABLE = "UNREACHABLE"  # nothing answered health checks at the address in time


def health_status(address: str, service: str = "", timeout_sec: float = 3.0) -> str:
    """What the server at `address` reports for `service` ("" = the server), by name
    ("SERVING", "NOT_SERVING", ...), or why it reports nothing (UNKNOWN_SERVICE, UNREACHABLE)."""
    try:
        with grpc.insecure_channel(address) as channel:
            stub: Any = health_pb2_grpc.HealthStub(channel)
            response = stub.Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout_sec
            )
    except grpc.RpcError as error:
        code = error.code() if isinstance(error, grpc.Call) else None
        return UNKNOWN_SERVICE if code == grpc.StatusCode.NOT_FOUND else UNREACHABLE
    return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))


def probe(address: str, service: str = "", timeout_sec: float = 3.0) -> bool:
    """True when the server at `address` reports SERVING for `service` ("" = the server)."""
    return health_status(address, service, timeout_sec) == SERVING


def wait_until_serving(address: str, timeout_sec: float = 30.0, service: str = "") -> bool:
    """Poll `probe` until SERVING or the timeout; True when it came up."""
    deadline = time.monotonic() + timeout_sec
    while time.monotonic() < deadline:
        if probe(address, service, timeout_sec=1.0):
            return True
        time.sleep(0.1)
    return False
