"""The one place that names the events table and its columns, and knows their DDL per server.

Modern ClickHouse (20.1+) gets DateTime64(3) timestamps, LowCardinality strings and optional TTL
retention; ClickHouse 18.16 (Debian's package, used in tests here) gets the nearest types it
understands: second-precision DateTime and plain String.
"""

from __future__ import annotations

from dataclasses import dataclass

EVENTS_TABLE = "events_raw"
MIGRATIONS_TABLE = "schema_migrations"

# Insert order of the columns; the ingest writer sends data in exactly this order.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "ts",
    "received_at",
    "user_id",
    "session_id",
    "event_name",
    "route",
    "entity_type",
    "entity_id",
    "props_json",
    "trace_id",
)

POST_VIEW_EVENT = "post_view"
POST_ENTITY_TYPE = "post"


@dataclass(frozen=True)
class ServerFlavor:
    """What the connected server supports, decided once from `SELECT version()`."""

    version: tuple[int, int]

    @property
    def modern(self) -> bool:
        return self.version >= (20, 1)

    @classmethod
    def from_version_string(cls, text: str) -> ServerFlavor:
        major, minor = (int(part) for part in text.split(".")[:2])
        return cls((major, minor))


def events_table_ddl(database: str, flavor: ServerFlavor, ttl_days: int) -> str:
    """CREATE TABLE for the raw events.

    Idempotent writes: a retried insert may land twice, so every query counts distinct event_id.
    ReplacingMergeTree keyed on event_id also folds exact duplicates away in background merges.
    """
    if flavor.modern:
        ts_type, low_card = "DateTime64(3, 'UTC')", "LowCardinality(String)"
        ttl = f"\nTTL toDateTime(ts) + INTERVAL {ttl_days} DAY" if ttl_days > 0 else ""
    else:
        ts_type, low_card, ttl = "DateTime('UTC')", "String", ""
    return f"""
CREATE TABLE IF NOT EXISTS {database}.{EVENTS_TABLE}
(
    event_id String,
    ts {ts_type},
    received_at DateTime('UTC'),
    user_id String,
    session_id String,
    event_name {low_card},
    route String,
    entity_type {low_card},
    entity_id String,
    props_json String,
    trace_id String
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (event_name, entity_type, entity_id, ts, event_id){ttl}
"""


def migrations_table_ddl(database: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS {database}.{MIGRATIONS_TABLE}
(
    version UInt32,
    description String,
    applied_at DateTime('UTC')
)
ENGINE = MergeTree
ORDER BY version
"""
