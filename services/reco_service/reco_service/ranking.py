"""Builds the ranked list from the candidates: pure logic, no I/O.

similar_by_tags score = (number of the context tags a post carries) / (number of context tags),
in (0, 1]. A post's tags are those Core listed for it, plus every context tag whose lookup
returned it. Ties go to the smaller post_id. Trending scores are the distinct post_view events in
the window: the 24h list first, then the 72h list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reco_service.core_client import TagPosts

REASON_SIMILAR = "similar_by_tags"
REASON_TRENDING_24H = "trending_views_24h"
REASON_TRENDING_72H = "trending_views_72h"


@dataclass(frozen=True)
class RankedItem:
    post_id: str
    score: float
    reason: str


def similar_by_tags(
    context_tags: Sequence[str], tag_posts: Iterable[TagPosts]
) -> list[tuple[str, float]]:
    """(post_id, score) for every post found under a context tag, best first."""
    if not context_tags:
        return []
    wanted = frozenset(context_tags)
    matched: dict[str, set[str]] = {}
    for lookup in tag_posts:
        for post in lookup.posts:
            tags = matched.setdefault(post.post_id, set())
            tags.add(lookup.tag)
            if post.tags is not None:
                tags.update(post.tags & wanted)
    scored = [(post_id, len(tags) / len(wanted)) for post_id, tags in matched.items()]
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def merge(
    similar: Sequence[tuple[str, float]],
    trending_24h: Sequence[tuple[str, int]],
    trending_72h: Sequence[tuple[str, int]],
    excluded: frozenset[str] | set[str],
    limit: int,
) -> list[RankedItem]:
    """Similar first, then trending; no excluded post, no post twice, at most `limit` items."""
    items: list[RankedItem] = []
    taken: set[str] = set()
    sources: list[tuple[str, Sequence[tuple[str, float] | tuple[str, int]]]] = [
        (REASON_SIMILAR, similar),
        (REASON_TRENDING_24H, trending_24h),
        (REASON_TRENDING_72H, trending_72h),
    ]
    for reason, candidates in sources:
        for post_id, score in candidates:
            if len(items) >= limit:
                return items
            if post_id in taken or post_id in excluded:
                continue
            taken.add(post_id)
            items.append(RankedItem(post_id, float(score), reason))
    return items
