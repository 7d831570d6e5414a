"""Trending posts, computed by ClickHouse in the background and served from memory.

A request never waits on ClickHouse: it reads the last good lists. A failed refresh keeps them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from onetake_events.clickhouse import ClickHouseSession
from onetake_events.queries import most_viewed_posts
from reco_service import metrics

log = logging.getLogger(__name__)

WINDOWS_HOURS = (24, 72)


@dataclass(frozen=True)
class TrendingLists:
    """(post_id, distinct views) per window, most viewed first; empty before the first refresh."""

    last_24h: tuple[tuple[str, int], ...] = ()
    last_72h: tuple[tuple[str, int], ...] = ()
    refreshed_at: float | None = None  # monotonic time of the refresh that produced them


class TrendingCache:
    def __init__(
        self,
        connect: Callable[[], ClickHouseSession],
        database: str,
        list_size: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._database = database
        self._list_size = list_size
        self._clock = clock
        self._session: ClickHouseSession | None = None
        self.lists = TrendingLists()
        self.last_refresh_ok = False

    def _query(self) -> TrendingLists:
        if self._session is None:
            self._session = self._connect()
        day, three_days = (
            most_viewed_posts(self._session, self._database, hours, self._list_size)
            for hours in WINDOWS_HOURS
        )
        return TrendingLists(tuple(day), tuple(three_days), self._clock())

    async def refresh(self, timeout_sec: float) -> bool:
        """Replace the lists with fresh ones; on failure keep the old ones. True on success."""
        started = time.perf_counter()
        try:
            self.lists = await asyncio.wait_for(asyncio.to_thread(self._query), timeout_sec)
        except Exception as error:  # driver errors, timeouts, a missing table before any ingest
            # A timed-out query may still be running in its thread: the next refresh must not
            # share that driver connection, so it gets a new one.
            self._session = None
            self.last_refresh_ok = False
            metrics.TRENDING_REFRESH_FAILURES.inc()
            log.warning(
                "trending refresh failed; serving the last good lists",
                extra={"error": f"{type(error).__name__}: {error}"[:300], "age_sec": self.age()},
            )
            return False
        self.last_refresh_ok = True
        metrics.TRENDING_REFRESH_SECONDS.observe(time.perf_counter() - started)
        return True

    def age(self) -> float | None:
        if self.lists.refreshed_at is None:
            return None
        return self._clock() - self.lists.refreshed_at

    async def run(self, period_sec: float, timeout_sec: float) -> None:
        """Refresh forever, every period_sec. Run it as one background task."""
        while True:
            await self.refresh(timeout_sec)
            age = self.age()
            metrics.TRENDING_AGE.set(age if age is not None else float("nan"))
            await asyncio.sleep(period_sec)
