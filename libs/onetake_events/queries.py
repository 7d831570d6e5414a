"""Reads of the events table. Every count is of distinct event_id, so retried inserts never
double-count. Only SQL that both ClickHouse 18.16 and current releases understand."""

from __future__ import annotations

from onetake_events.clickhouse import ClickHouseSession
from onetake_events.schema import EVENTS_TABLE


def count_distinct_events(session: ClickHouseSession, database: str, event_name: str = "") -> int:
    """Stored events, each event_id once; all events, or those named `event_name`."""
    where = "WHERE event_name = %(event_name)s" if event_name else ""
    rows = session.query(
        f"SELECT uniqExact(event_id) FROM {database}.{EVENTS_TABLE} {where}",
        {"event_name": event_name},
    )
    return int(rows[0][0])
