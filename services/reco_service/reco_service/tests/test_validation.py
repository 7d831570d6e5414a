import pytest

from onetake_proto.reco.v1 import reco_pb2
from reco_service.validation import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    RequestValidationError,
    validate_request,
)


def test_limit_zero_means_the_default_and_large_limits_are_capped() -> None:
    assert validate_request(reco_pb2.GetRecommendationsRequest()).limit == DEFAULT_LIMIT
    assert validate_request(reco_pb2.GetRecommendationsRequest(limit=7)).limit == 7
    assert validate_request(reco_pb2.GetRecommendationsRequest(limit=500)).limit == MAX_LIMIT


def test_tags_are_trimmed_and_deduplicated_in_order() -> None:
    query = validate_request(
        reco_pb2.GetRecommendationsRequest(context_tags=[" go ", "rust", "go"])
    )
    assert query.context_tags == ("go", "rust")


@pytest.mark.parametrize(
    ("fields", "field_named"),
    [
        ({"limit": -1}, "limit"),
        ({"limit": 10_001}, "limit"),
        ({"context_tags": [f"t{i}" for i in range(21)]}, "context_tags"),
        ({"context_tags": ["ok", "  "]}, "context_tags"),
        ({"context_tags": ["x" * 65]}, "context_tags"),
        ({"exclude_post_ids": [f"p{i}" for i in range(501)]}, "exclude_post_ids"),
        ({"exclude_post_ids": ["p" * 129]}, "exclude_post_ids"),
        ({"user_id": "u" * 129}, "user_id"),
        ({"context_post_id": "c" * 129}, "context_post_id"),
        ({"feed_type": "f" * 65}, "feed_type"),
        ({"trace_id": "t" * 129}, "trace_id"),
    ],
)
def test_bad_field_is_named(fields: dict[str, object], field_named: str) -> None:
    with pytest.raises(RequestValidationError) as raised:
        validate_request(reco_pb2.GetRecommendationsRequest(**fields))  # type: ignore[arg-type]
    assert raised.value.field == field_named
