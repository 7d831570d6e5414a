"""gRPC transport for ingest: parse and validate requests, admit them to the batcher, map errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import grpc

from analytics_ingest import metrics
from analytics_ingest.batcher import Admission, EventBatcher
from analytics_ingest.validation import (
    MAX_EVENTS_PER_CALL,
    MAX_REF_LENGTH,
    EventRow,
    EventValidationError,
    row_size,
    validate_event,
)
from analytics_ingest.wal import WalError, WriteAheadLog
from onetake_grpc.logs import trace_context
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc

log = logging.getLogger(__name__)

Context = grpc.aio.ServicerContext[Any, Any]

_REFUSALS = {
    Admission.FULL: (
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        "buffer_full",
        "ingest buffer is full; retry with backoff",
    ),
    Admission.CLOSED: (
        grpc.StatusCode.UNAVAILABLE,
        "shutting_down",
        "server is shutting down; retry on another instance",
    ),
}


class AnalyticsIngestServicer(analytics_pb2_grpc.AnalyticsIngestServicer):
    def __init__(
        self,
        batcher: EventBatcher[EventRow],
        utc_now: Callable[[], datetime],
        wal: WriteAheadLog | None = None,
    ) -> None:
        self._batcher = batcher
        self._utc_now = utc_now  # naive UTC
        self._wal = wal

    async def _admit(self, rows: list[EventRow], context: Context) -> None:
        """Buffer the rows and make them durable, or abort the RPC with the reason."""
        admission = self._batcher.offer(rows, [row_size(row) for row in rows])
        if admission is not Admission.ACCEPTED:
            await self._refuse(admission, len(rows), context)
        if self._wal is not None:
            try:
                await self._wal.append(rows)  # same order as offer: nothing runs in between
            except WalError as error:
                # Still buffered and will be stored; the client's retry is deduplicated.
                log.error("write-ahead log failed", extra={"error": str(error)})
                await context.abort(grpc.StatusCode.UNAVAILABLE, "cannot persist events; retry")
        metrics.EVENTS_ACCEPTED.inc(len(rows))
        self._record_buffer()

    async def _refuse(self, admission: Admission, count: int, context: Context) -> None:
        code, reason, message = _REFUSALS[admission]
        metrics.EVENTS_REJECTED.labels(reason).inc(count)
        await context.abort(code, message)

    def _record_buffer(self) -> None:
        metrics.BUFFERED_EVENTS.set(self._batcher.buffered_events)
        metrics.BUFFERED_BYTES.set(self._batcher.buffered_bytes)

    async def TrackEvent(
        self, request: analytics_pb2.TrackEventRequest, context: Context
    ) -> analytics_pb2.TrackEventResponse:
        with trace_context(request.trace_id):
            try:
                row = validate_event(request, self._utc_now())
            except EventValidationError as error:
                metrics.EVENTS_REJECTED.labels(error.field).inc()
                log.info("event rejected", extra={"field": error.field, "reason": error.reason})
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
            await self._admit([row], context)
            return analytics_pb2.TrackEventResponse(accepted=True)

    async def TrackEvents(
        self, request: analytics_pb2.TrackEventsRequest, context: Context
    ) -> analytics_pb2.TrackEventsResponse:
        with trace_context(request.trace_id):
            if not request.events:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "events: is empty")
            if len(request.events) > MAX_EVENTS_PER_CALL:
                await context.abort(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    f"events: {len(request.events)} events; the limit is {MAX_EVENTS_PER_CALL}",
                )
            if len(request.trace_id) > MAX_REF_LENGTH:
                await context.abort(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    f"trace_id: is longer than {MAX_REF_LENGTH} characters",
                )
            now = self._utc_now()
            rows: list[EventRow] = []
            rejected: list[analytics_pb2.RejectedEvent] = []
            for index, event in enumerate(request.events):
                try:
                    rows.append(validate_event(event, now, fallback_trace_id=request.trace_id))
                except EventValidationError as error:
                    metrics.EVENTS_REJECTED.labels(error.field).inc()
                    rejected.append(
                        analytics_pb2.RejectedEvent(
                            index=index, field=error.field, reason=error.reason
                        )
                    )
            if rows:
                await self._admit(rows, context)
            if rejected:
                log.info(
                    "events rejected",
                    extra={"rejected": len(rejected), "accepted": len(rows)},
                )
            return analytics_pb2.TrackEventsResponse(accepted_count=len(rows), rejected=rejected)
