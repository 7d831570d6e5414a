"""gRPC transport for recommendations: validate, gather candidates, rank, answer. Never fails
because a dependency is down: it answers with what is available and says why in logs/metrics."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import grpc

from onetake_grpc.logs import trace_context
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc
from reco_service import metrics
from reco_service.core_client import CoreApiClient, TagPosts
from reco_service.degraded_log import DegradedAnswerLog
from reco_service.ranking import merge, similar_by_tags
from reco_service.seen_filter import SeenPostsFilter
from reco_service.trending import TrendingCache
from reco_service.validation import RequestValidationError, validate_request

log = logging.getLogger(__name__)

Context = grpc.aio.ServicerContext[Any, Any]


async def _no_tags() -> list[TagPosts]:
    return []


async def _no_seen() -> set[str] | None:
    return set()


class RecommendationsServicer(reco_pb2_grpc.RecommendationsServicer):
    def __init__(
        self,
        core: CoreApiClient,
        trending: TrendingCache,
        seen: SeenPostsFilter | None,
        degraded_log: DegradedAnswerLog | None = None,
    ) -> None:
        self._core = core
        self._trending = trending
        self._seen = seen
        self._degraded_log = degraded_log or DegradedAnswerLog()

    async def GetRecommendations(
        self, request: reco_pb2.GetRecommendationsRequest, context: Context
    ) -> reco_pb2.GetRecommendationsResponse:
        started = time.perf_counter()
        with trace_context(request.trace_id):
            try:
                query = validate_request(request)
            except RequestValidationError as error:
                log.info("request rejected", extra={"field": error.field, "reason": error.reason})
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
            use_seen = self._seen is not None and bool(query.user_id)
            lookups, seen = await asyncio.gather(
                (
                    self._core.posts_by_tags(query.context_tags, query.trace_id)
                    if query.context_tags
                    else _no_tags()
                ),
                self._seen.seen_by(query.user_id) if use_seen and self._seen else _no_seen(),
            )
            degraded = []
            if any(not lookup.ok for lookup in lookups):
                degraded.append("core")
            if not self._trending.last_refresh_ok:
                degraded.append("trending")
            if seen is None:
                degraded.append("seen_filter")
            for source in degraded:
                metrics.DEGRADED.labels(source).inc()

            excluded = set(query.exclude_post_ids) | (seen or set())
            if query.context_post_id:
                excluded.add(query.context_post_id)
            lists = self._trending.lists
            items = merge(
                similar_by_tags(query.context_tags, lookups),
                lists.last_24h,
                lists.last_72h,
                excluded,
                query.limit,
            )
            for item in items:
                metrics.ITEMS_RETURNED.labels(item.reason).inc()
            elapsed = time.perf_counter() - started
            metrics.REQUEST_SECONDS.labels(metrics.feed_type_label(query.feed_type)).observe(
                elapsed
            )
            # Every answer at DEBUG; degraded ones at INFO too, but through an outage only one
            # line per interval, counting the answers it stands for.
            like_answers = self._degraded_log.note(tuple(degraded)) if degraded else None
            log.log(
                logging.INFO if like_answers else logging.DEBUG,
                "recommendations served",
                extra={
                    "feed_type": query.feed_type,
                    "items": len(items),
                    "tags": len(query.context_tags),
                    "degraded": degraded,
                    "ms": round(elapsed * 1000, 2),
                    **({"stands_for_answers": like_answers} if like_answers else {}),
                },
            )
            return reco_pb2.GetRecommendationsResponse(
                items=[
                    reco_pb2.RecommendationItem(post_id=i.post_id, score=i.score, reason=i.reason)
                    for i in items
                ]
            )
