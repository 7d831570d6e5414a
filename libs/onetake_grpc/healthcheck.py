"""A gRPC health probe for container HEALTHCHECKs and scripts: `<service> --health-check`."""

from __future__ import annotations

import time
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def probe(address: str, service: str = "", timeout_sec: float = 3.0) -> bool:
    """True when the server at `address` reports SERVING for `service` ("" = the server)."""
    try:
        with grpc.insecure_channel(address) as channel:
            stub: Any = health_pb2_grpc.HealthStub(channel)
            response = stub.Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout_sec
            )
    except grpc.RpcError:
        return False
    return bool(response.status == health_pb2.HealthCheckResponse.SERVING)


def wait_until_serving(address: str, timeout_sec: float = 30.0, service: str = "") -> bool:
    """Poll `probe` until SERVING or the timeout; True when it came up."""
    deadline = time.monotonic() + timeout_sec
    while time.monotonic() < deadline:
        if probe(address, service, timeout_sec=1.0):
            return True
        time.sleep(0.1)
    return False
