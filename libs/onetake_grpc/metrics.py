"""Prometheus metrics for every RPC, recorded by a server interceptor."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import grpc
from prometheus_client import Counter, Histogram, start_http_server

RPC_LATENCY = Histogram(
    "grpc_server_handling_seconds",
    "Time spent handling an RPC, by method and status code.",
    ["method", "code"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
RPC_TOTAL = Counter(
    "grpc_server_handled_total", "RPCs completed, by method and status code.", ["method", "code"]
)

if TYPE_CHECKING:  # the stubs make these generic; the runtime classes are not subscriptable
    Handler: TypeAlias = grpc.RpcMethodHandler[Any, Any]
    UnaryBehaviour: TypeAlias = Callable[[Any, grpc.aio.ServicerContext[Any, Any]], Awaitable[Any]]


def start_metrics_endpoint(host: str, port: int) -> None:
    """Serve /metrics over HTTP on a daemon thread; port 0 disables it."""
    if port:
        start_http_server(port, addr=host)


def status_name(code: object) -> str:
    """The status code's name, whatever form the context reports it in (enum, int or None)."""
    if isinstance(code, grpc.StatusCode):
        return code.name
    if isinstance(code, int):
        for candidate in grpc.StatusCode:
            if candidate.value[0] == code:
                return candidate.name
    return "OK" if code is None else str(code)


class RpcMetricsInterceptor(grpc.aio.ServerInterceptor):
    """Counts and times unary RPCs; other handler kinds pass through untouched."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> Handler | None:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        method: str = handler_call_details.method
        inner: UnaryBehaviour = handler.unary_unary  # type: ignore[assignment]

        async def observed(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            started = time.perf_counter()
            failed = False
            try:
                return await inner(request, context)
            except BaseException:
                failed = True
                raise
            finally:
                code = context.code()
                label = "UNKNOWN" if failed and code is None else status_name(code)
                RPC_LATENCY.labels(method, label).observe(time.perf_counter() - started)
                RPC_TOTAL.labels(method, label).inc()

        return grpc.unary_unary_rpc_method_handler(
            observed,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
