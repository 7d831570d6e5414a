"""Turns a GetRecommendationsRequest into a checked `RecoQuery`, or names the field at fault.

Pure functions, no I/O: the limits are the ones documented in reco.proto.
"""

from __future__ import annotations

from dataclasses import dataclass

from onetake_proto.reco.v1 import reco_pb2

DEFAULT_LIMIT = 20
MAX_LIMIT = 100  # larger requests are served this many items
ABSURD_LIMIT = 10_000  # beyond this the request is refused, not capped
MAX_TAGS = 20
MAX_TAG_LENGTH = 64
MAX_EXCLUDED = 500
MAX_ID_LENGTH = 128
MAX_FEED_TYPE_LENGTH = 64


class RequestValidationError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class RecoQuery:
    user_id: str
    limit: int
    feed_type: str
    context_post_id: str
    context_tags: tuple[str, ...]  # distinct, in request order
    exclude_post_ids: frozenset[str]
    trace_id: str


def _bounded(field: str, value: str, maximum: int) -> str:
    if len(value) > maximum:
        raise RequestValidationError(field, f"is {len(value)} characters; the limit is {maximum}")
    return value


def validate_request(request: reco_pb2.GetRecommendationsRequest) -> RecoQuery:
    if request.limit < 0 or request.limit > ABSURD_LIMIT:
        raise RequestValidationError(
            "limit", f"must be 0 (default {DEFAULT_LIMIT}) to {MAX_LIMIT}; got {request.limit}"
        )
    if len(request.context_tags) > MAX_TAGS:
        raise RequestValidationError(
            "context_tags", f"has {len(request.context_tags)} tags; the limit is {MAX_TAGS}"
        )
    tags: list[str] = []
    for tag in request.context_tags:
        cleaned = tag.strip()
        if not cleaned:
            raise RequestValidationError("context_tags", "contains an empty tag")
        _bounded("context_tags", cleaned, MAX_TAG_LENGTH)
        if cleaned not in tags:
            tags.append(cleaned)
    if len(request.exclude_post_ids) > MAX_EXCLUDED:
        raise RequestValidationError(
            "exclude_post_ids",
            f"has {len(request.exclude_post_ids)} ids; the limit is {MAX_EXCLUDED}",
        )
    for post_id in request.exclude_post_ids:
        _bounded("exclude_post_ids", post_id, MAX_ID_LENGTH)
    return RecoQuery(
        user_id=_bounded("user_id", request.user_id, MAX_ID_LENGTH),
        limit=min(request.limit or DEFAULT_LIMIT, MAX_LIMIT),
        feed_type=_bounded("feed_type", request.feed_type, MAX_FEED_TYPE_LENGTH),
        context_post_id=_bounded("context_post_id", request.context_post_id, MAX_ID_LENGTH),
        context_tags=tuple(tags),
        exclude_post_ids=frozenset(request.exclude_post_ids),
        trace_id=_bounded("trace_id", request.trace_id, MAX_ID_LENGTH),
    )
