from datetime import datetime, timedelta

import pytest

from analytics_ingest.validation import EventRow, EventValidationError, validate_event
from onetake_events.schema import EVENT_COLUMNS
from onetake_proto.analytics.v1 import analytics_pb2

NOW = datetime(2026, 12, 1, 12, 0, 0, 123000)
NOW_MS = int((NOW - datetime(1970, 1, 1)).total_seconds() * 1000)


def valid_request(**changes: object) -> analytics_pb2.TrackEventRequest:
    fields: dict[str, object] = {
        "event_id": "e-1",
        "ts": NOW_MS - 5000,
        "user_id": "u-1",
        "session_id": "s-1",
        "event_name": "post_view",
        "route": "/feed",
        "entity_type": "post",
        "entity_id": "p-1",
        "props_json": '{"source": "feed"}',
        "trace_id": "t-1",
    }
    fields.update(changes)
    return analytics_pb2.TrackEventRequest(**fields)  # type: ignore[arg-type]


def test_valid_event_keeps_every_field() -> None:
    row = validate_event(valid_request(), NOW)
    assert row.event_id == "e-1"
    assert row.ts == NOW - timedelta(seconds=5)
    assert row.received_at == NOW
    assert (row.user_id, row.session_id, row.event_name, row.route) == (
        "u-1",
        "s-1",
        "post_view",
        "/feed",
    )
    assert (row.entity_type, row.entity_id, row.trace_id) == ("post", "p-1", "t-1")
    assert row.props_json == '{"source": "feed"}'


def test_unset_ts_means_received_now() -> None:
    assert validate_event(valid_request(ts=0), NOW).ts == NOW


def test_optional_fields_may_be_empty() -> None:
    row = validate_event(
        valid_request(user_id="", session_id="", route="", entity_type="", entity_id="",
                      props_json="", trace_id=""),
        NOW,
    )  # fmt: skip
    assert row.props_json == "" and row.trace_id == ""


def test_batch_trace_id_fills_in_for_an_event_without_one() -> None:
    assert validate_event(valid_request(trace_id=""), NOW, "batch-t").trace_id == "batch-t"


@pytest.mark.parametrize(
    ("field", "bad_value", "reason_part"),
    [
        ("event_id", "", "required"),
        ("event_id", "x" * 65, "limit is 64"),
        ("event_name", "", "required"),
        ("event_name", "post view", "letters, digits"),
        ("event_name", "n" * 65, "limit is 64"),
        ("user_id", "u" * 129, "limit is 128"),
        ("session_id", "s" * 129, "limit is 128"),
        ("route", "/" * 513, "limit is 512"),
        ("entity_type", "t" * 65, "limit is 64"),
        ("entity_id", "p" * 129, "limit is 128"),
        ("trace_id", "t" * 129, "limit is 128"),
        ("props_json", "[1, 2]", "JSON object"),
        ("props_json", "{not json", "not valid JSON"),
        ("props_json", '{"k": "' + "v" * 16400 + '"}', "limit is 16384"),
        ("ts", -1, "milliseconds since the Unix epoch"),
        ("ts", NOW_MS - 31 * 24 * 3600 * 1000, "30 days in the past"),
        ("ts", NOW_MS + 11 * 60 * 1000, "10 minutes in the future"),
    ],
)
def test_invalid_field_is_named_with_its_reason(
    field: str, bad_value: object, reason_part: str
) -> None:
    with pytest.raises(EventValidationError) as raised:
        validate_event(valid_request(**{field: bad_value}), NOW)
    assert raised.value.field == field
    assert reason_part in raised.value.reason


def test_limits_are_inclusive() -> None:
    row = validate_event(
        valid_request(event_id="x" * 64, ts=NOW_MS + 10 * 60 * 1000, route="/" * 512), NOW
    )
    assert len(row.event_id) == 64


def test_rows_carry_the_columns_in_the_order_the_writer_inserts_them() -> None:
    assert EventRow._fields == EVENT_COLUMNS
