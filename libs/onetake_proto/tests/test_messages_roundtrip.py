"""Every message of every contract survives serialisation with every field set."""

from typing import Any

import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from onetake_proto.analytics.v1 import analytics_pb2
from onetake_proto.reco.v1 import reco_pb2

MESSAGE_CLASSES: list[type[Message]] = [
    getattr(module, name)
    for module in (analytics_pb2, reco_pb2)
    for name in module.DESCRIPTOR.message_types_by_name
]

SAMPLE_SCALARS: dict[int, Any] = {
    FieldDescriptor.TYPE_STRING: "é-value",
    FieldDescriptor.TYPE_INT64: 1_767_225_600_123,
    FieldDescriptor.TYPE_INT32: 42,
    FieldDescriptor.TYPE_UINT32: 7,
    FieldDescriptor.TYPE_DOUBLE: 2.5,
    FieldDescriptor.TYPE_BOOL: True,
}


def fill(message: Message, descriptor: Descriptor | None) -> None:
    """Give every field a non-default value (two elements for repeated fields)."""
    assert descriptor is not None
    for field in descriptor.fields:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            if field.is_repeated:
                for _ in range(2):
                    fill(getattr(message, field.name).add(), field.message_type)
            else:
                fill(getattr(message, field.name), field.message_type)
        else:
            value = SAMPLE_SCALARS[field.type]
            if field.is_repeated:
                getattr(message, field.name).extend([value, value])
            else:
                setattr(message, field.name, value)


def test_both_contracts_define_messages() -> None:
    names = {cls.DESCRIPTOR.full_name for cls in MESSAGE_CLASSES}
    assert {
        "onetake.analytics.v1.TrackEventRequest",
        "onetake.analytics.v1.TrackEventsRequest",
        "onetake.reco.v1.GetRecommendationsRequest",
        "onetake.reco.v1.RecommendationItem",
    } <= names


@pytest.mark.parametrize("message_class", MESSAGE_CLASSES, ids=lambda cls: cls.DESCRIPTOR.name)
def test_message_round_trips_with_every_field_set(message_class: type[Message]) -> None:
    original = message_class()
    fill(original, message_class.DESCRIPTOR)  # type: ignore[arg-type]
    parsed = message_class.FromString(original.SerializeToString())
    assert parsed == original
    assert len(parsed.ListFields()) == len(message_class.DESCRIPTOR.fields)


def test_track_event_fields_match_the_original_contract() -> None:
    fields = [f.name for f in analytics_pb2.TrackEventRequest.DESCRIPTOR.fields]
    assert fields == [
        "event_id", "ts", "user_id", "session_id", "event_name",
        "route", "entity_type", "entity_id", "props_json", "trace_id",
    ]  # fmt: skip


def test_recommendation_request_fields_match_the_original_contract() -> None:
    fields = [f.name for f in reco_pb2.GetRecommendationsRequest.DESCRIPTOR.fields]
    assert fields == [
        "user_id", "limit", "feed_type", "context_post_id",
        "context_tags", "exclude_post_ids", "trace_id",
    ]  # fmt: skip
