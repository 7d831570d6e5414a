"""Reads of the events table.

Every count is of distinct event_id, so an insert that was retried and stored twice never counts
twice. Only SQL that both ClickHouse 18.16 and current releases understand; the chdb tests run
each query on a modern engine too.
"""

from __future__ import annotations

from onetake_events.clickhouse import ClickHouseSession
from onetake_events.schema import EVENTS_TABLE, POST_VIEW_EVENT


def count_distinct_events(session: ClickHouseSession, database: str, event_name: str = "") -> int:
    """Stored events, each event_id once; all events, or those named `event_name`."""
    where = "WHERE event_name = %(event_name)s" if event_name else ""
    rows = session.query(
        f"SELECT uniqExact(event_id) FROM {database}.{EVENTS_TABLE} {where}",
        {"event_name": event_name},
    )
    return int(rows[0][0])


def most_viewed_posts(
    session: ClickHouseSession, database: str, window_hours: int, limit: int
) -> list[tuple[str, int]]:
    """(post_id, distinct post_view events in the last window_hours), most viewed first.

    Ties are broken by post_id so the order is deterministic.
    """
    rows = session.query(
        f"""
        SELECT entity_id, uniqExact(event_id) AS views
        FROM {database}.{EVENTS_TABLE}
        WHERE event_name = %(event_name)s
          AND entity_id != ''
          AND ts >= now() - INTERVAL %(window_hours)s HOUR
        GROUP BY entity_id
        ORDER BY views DESC, entity_id ASC
        LIMIT %(limit)s
        """,
        {"event_name": POST_VIEW_EVENT, "window_hours": int(window_hours), "limit": int(limit)},
    )
    return [(str(post_id), int(views)) for post_id, views in rows]


def posts_viewed_by_user(
    session: ClickHouseSession, database: str, user_id: str, window_hours: int, limit: int
) -> set[str]:
    """Ids of posts this user viewed in the last window_hours (at most `limit` of them)."""
    rows = session.query(
        f"""
        SELECT DISTINCT entity_id
        FROM {database}.{EVENTS_TABLE}
        WHERE event_name = %(event_name)s
          AND user_id = %(user_id)s
          AND entity_id != ''
          AND ts >= now() - INTERVAL %(window_hours)s HOUR
        LIMIT %(limit)s
        """,
        {
            "event_name": POST_VIEW_EVENT,
            "user_id": user_id,
            "window_hours": int(window_hours),
            "limit": int(limit),
        },
    )
    return {str(row[0]) for row in rows}
