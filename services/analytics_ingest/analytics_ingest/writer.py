"""Writes event batches to ClickHouse, retrying until each batch is stored.

A failed insert may still have been written (the server can commit after the connection broke),
so a retry can store a batch twice: queries count distinct event_id, which makes that harmless.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

from analytics_ingest import metrics
from analytics_ingest.backoff import Backoff
from analytics_ingest.validation import EventRow
from onetake_events.clickhouse import ClickHouseSession
from onetake_events.migrations import ensure_schema
from onetake_events.schema import EVENT_COLUMNS, EVENTS_TABLE

log = logging.getLogger(__name__)


class ClickHouseEventWriter:
    """The batcher's sink. Blocking driver calls run in a worker thread, one at a time."""

    def __init__(
        self,
        connect: Callable[[], ClickHouseSession],
        database: str,
        ttl_days: int = 0,
        backoff: Backoff | None = None,
        report_outcome: Callable[[bool], None] = lambda ok: None,  # feeds health
    ) -> None:
        self._connect = connect
        self._database = database
        self._ttl_days = ttl_days
        self._backoff = backoff or Backoff()
        self._session: ClickHouseSession | None = None
        self._schema_ready = False
        self._report_outcome = report_outcome

    def _insert(self, columns: Sequence[Sequence[object]]) -> None:
        # One session for good: after a failure the driver disconnects and reconnects on next use.
        if self._session is None:
            self._session = self._connect()
        if not self._schema_ready:
            ensure_schema(self._session, self._database, self._ttl_days)
            self._schema_ready = True
        self._session.insert_columns(f"{self._database}.{EVENTS_TABLE}", EVENT_COLUMNS, columns)

    async def write(self, batch: Sequence[EventRow]) -> None:
        columns = list(zip(*batch, strict=True))
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                await asyncio.to_thread(self._insert, columns)
            except Exception as error:  # the driver also raises bare EOFError, OSError, ...
                attempt += 1
                delay = self._backoff.delay(attempt)
                metrics.INSERT_RETRIES.labels(type(error).__name__).inc()
                self._report_outcome(False)
                log.warning(
                    "insert failed; will retry",
                    extra={
                        "rows": len(batch),
                        "attempt": attempt,
                        "retry_in_sec": round(delay, 3),
                        "error": f"{type(error).__name__}: {error}"[:300],
                    },
                )
                await asyncio.sleep(delay)
                continue
            metrics.INSERT_SECONDS.observe(time.perf_counter() - started)
            metrics.BATCHES_WRITTEN.inc()
            metrics.ROWS_WRITTEN.inc(len(batch))
            self._report_outcome(True)
            if attempt:
                log.info("insert succeeded after retries", extra={"attempts": attempt + 1})
            return
