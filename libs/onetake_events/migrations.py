"""Versioned schema migrations, applied in order at start-up; safe to run from both services."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from onetake_events.clickhouse import ClickHouseSession, server_flavor
from onetake_events.schema import (
    MIGRATIONS_TABLE,
    ServerFlavor,
    events_table_ddl,
    migrations_table_ddl,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: Callable[[str, ServerFlavor, int], list[str]]  # (database, flavor, ttl_days)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "raw events table",
        lambda database, flavor, ttl_days: [events_table_ddl(database, flavor, ttl_days)],
    ),
)


def ensure_schema(session: ClickHouseSession, database: str, ttl_days: int = 0) -> int:
    """Create the database and apply pending migrations; returns the schema version now in force.

    Every statement is idempotent (IF NOT EXISTS), so two processes migrating at once is harmless.
    """
    flavor = server_flavor(session)
    session.query(f"CREATE DATABASE IF NOT EXISTS {database}")
    session.query(migrations_table_ddl(database))
    applied = {
        row[0] for row in session.query(f"SELECT version FROM {database}.{MIGRATIONS_TABLE}")
    }
    for migration in MIGRATIONS:
        if migration.version in applied:
            continue
        for statement in migration.statements(database, flavor, ttl_days):
            session.query(statement)
        session.insert_columns(
            f"{database}.{MIGRATIONS_TABLE}",
            ("version", "description", "applied_at"),
            [
                [migration.version],
                [migration.description],
                [datetime.now(UTC).replace(tzinfo=None)],
            ],
        )
        log.info(
            "schema migrated",
            extra={"version": migration.version, "description": migration.description},
        )
    return max(migration.version for migration in MIGRATIONS)
