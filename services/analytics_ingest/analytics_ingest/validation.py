"""Turns a TrackEventRequest into a storable event row, or says which field is wrong and why.

Pure functions, no I/O: the limits here are the ones documented in analytics.proto.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import NamedTuple

from onetake_proto.analytics.v1 import analytics_pb2

MAX_EVENTS_PER_CALL = 1000
MAX_ID_LENGTH = 64  # event_id
MAX_NAME_LENGTH = 64  # event_name, entity_type
MAX_REF_LENGTH = 128  # user_id, session_id, entity_id, trace_id
MAX_ROUTE_LENGTH = 512
MAX_PROPS_BYTES = 16 * 1024
MAX_PAST = timedelta(days=30)
MAX_FUTURE = timedelta(minutes=10)

_EVENT_NAME = re.compile(r"[A-Za-z0-9_.:\-]+")
_EPOCH = datetime(1970, 1, 1)


class EventRow(NamedTuple):
    """One event in the column order of onetake_events.schema.EVENT_COLUMNS (naive UTC times)."""

    event_id: str
    ts: datetime
    received_at: datetime
    user_id: str
    session_id: str
    event_name: str
    route: str
    entity_type: str
    entity_id: str
    props_json: str
    trace_id: str


class EventValidationError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _bounded(field: str, value: str, maximum: int, required: bool = False) -> str:
    if required and not value:
        raise EventValidationError(field, "is required")
    if len(value) > maximum:
        raise EventValidationError(
            field, f"is {len(value)} characters long; the limit is {maximum}"
        )
    return value


def _timestamp(ts_ms: int, received_at: datetime) -> datetime:
    if ts_ms == 0:
        return received_at
    if ts_ms < 0:
        raise EventValidationError(
            "ts", "must be milliseconds since the Unix epoch, or 0 for 'now'"
        )
    ts = _EPOCH + timedelta(milliseconds=ts_ms)
    if ts < received_at - MAX_PAST:
        raise EventValidationError("ts", "is more than 30 days in the past")
    if ts > received_at + MAX_FUTURE:
        raise EventValidationError("ts", "is more than 10 minutes in the future")
    return ts


def _props(props_json: str) -> str:
    if not props_json:
        return ""
    size = len(props_json.encode())
    if size > MAX_PROPS_BYTES:
        raise EventValidationError("props_json", f"is {size} bytes; the limit is {MAX_PROPS_BYTES}")
    try:
        parsed = json.loads(props_json)
    except ValueError as error:
        raise EventValidationError("props_json", f"is not valid JSON ({error.args[0]})") from None
    if not isinstance(parsed, dict):
        raise EventValidationError("props_json", "must be a JSON object")
    return props_json


def validate_event(
    request: analytics_pb2.TrackEventRequest, received_at: datetime, fallback_trace_id: str = ""
) -> EventRow:
    """The row to store for this request; raises EventValidationError naming the first bad field."""
    event_id = _bounded("event_id", request.event_id, MAX_ID_LENGTH, required=True)
    event_name = _bounded("event_name", request.event_name, MAX_NAME_LENGTH, required=True)
    if not _EVENT_NAME.fullmatch(event_name):
        raise EventValidationError("event_name", "may only contain letters, digits and _ . : -")
    received = received_at.replace(microsecond=received_at.microsecond // 1000 * 1000)
    return EventRow(
        event_id=event_id,
        ts=_timestamp(request.ts, received),
        received_at=received,
        user_id=_bounded("user_id", request.user_id, MAX_REF_LENGTH),
        session_id=_bounded("session_id", request.session_id, MAX_REF_LENGTH),
        event_name=event_name,
        route=_bounded("route", request.route, MAX_ROUTE_LENGTH),
        entity_type=_bounded("entity_type", request.entity_type, MAX_NAME_LENGTH),
        entity_id=_bounded("entity_id", request.entity_id, MAX_REF_LENGTH),
        props_json=_props(request.props_json),
        trace_id=_bounded("trace_id", request.trace_id or fallback_trace_id, MAX_REF_LENGTH),
    )


def row_size(row: EventRow) -> int:
    """Approximate memory an event holds while buffered, for the buffer's byte bound."""
    return 200 + sum(len(value) for value in row if isinstance(value, str))
