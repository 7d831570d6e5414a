"""A small demo catalog and demo traffic, shared by the local stack and the smoke tests."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

from onetake_proto.analytics.v1 import analytics_pb2

TOPICS = ["python", "grpc", "clickhouse", "pants", "docker", "rust", "ml", "design"]

# post id -> tags: every post carries two or three topics.
DEMO_CATALOG: dict[str, list[str]] = {
    f"post-{n:03d}": sorted(
        {TOPICS[n % len(TOPICS)], TOPICS[(n * 3 + 1) % len(TOPICS)], TOPICS[(n * 5) % 7]}
    )
    for n in range(1, 41)
}


def demo_post_views(
    count: int, now_ms: int, seed: int = 42
) -> Iterator[analytics_pb2.TrackEventRequest]:
    """post_view events over the last 72 hours; low post numbers are viewed the most."""
    rng = random.Random(seed)
    posts = sorted(DEMO_CATALOG)
    for _ in range(count):
        post = posts[min(int(rng.expovariate(0.15)), len(posts) - 1)]
        hours_ago = rng.uniform(0, 71) if rng.random() < 0.4 else rng.uniform(0, 23)
        yield analytics_pb2.TrackEventRequest(
            event_id=str(uuid.UUID(int=rng.getrandbits(128))),
            ts=now_ms - int(hours_ago * 3600 * 1000),
            user_id=f"user-{rng.randrange(50)}",
            session_id=f"session-{rng.randrange(200)}",
            event_name="post_view",
            route=f"/posts/{post}",
            entity_type="post",
            entity_id=post,
            props_json='{"source": "demo"}',
        )
