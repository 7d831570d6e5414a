"""Seeding the events table with known post views, the way the ingest service stores them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from onetake_events.clickhouse import ClickHouseSession
from onetake_events.schema import EVENT_COLUMNS, EVENTS_TABLE, POST_VIEW_EVENT


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def insert_post_views(
    session: ClickHouseSession, database: str, views: Sequence[tuple[str, str, str, datetime]]
) -> None:
    """Store one post_view event per (event_id, user_id, post_id, ts)."""
    received = utc_now()
    rows = [
        (event_id, ts, received, user_id, "s", POST_VIEW_EVENT, "/p", "post", post_id, "", "")
        for event_id, user_id, post_id, ts in views
    ]
    session.insert_columns(
        f"{database}.{EVENTS_TABLE}", EVENT_COLUMNS, list(zip(*rows, strict=True))
    )
