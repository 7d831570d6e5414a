"""Posts a user already viewed, so the feed does not show them again.

Asked of ClickHouse per request, with a short deadline: when it is slow or down the request is
answered without the filter rather than late. A circuit breaker stops asking while ClickHouse
keeps failing, so an outage does not cost every request the deadline (nor a log line).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from onetake_events.clickhouse import ClickHouseSession
from onetake_events.queries import posts_viewed_by_user
from reco_service import metrics
from reco_service.circuit_breaker import CircuitBreaker

log = logging.getLogger(__name__)

MAX_SEEN_POSTS = 5000
BREAKER_FAILURES = 5  # consecutive failures or timeouts that open the circuit
BREAKER_RESET_SEC = 10.0  # then one trial lookup after this long


class SeenPostsFilter:
    def __init__(
        self,
        connect: Callable[[], ClickHouseSession],
        database: str,
        window_hours: int,
        timeout_sec: float,
        max_concurrency: int = 4,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._connect = connect
        self._database = database
        self._window_hours = window_hours
        self._timeout = timeout_sec
        self._pool = ThreadPoolExecutor(max_concurrency, thread_name_prefix="seen-filter")
        self._local = threading.local()  # one driver connection per worker thread
        self.breaker = breaker or CircuitBreaker(BREAKER_FAILURES, BREAKER_RESET_SEC)

    def _query(self, user_id: str) -> set[str]:
        # After a failure the driver disconnects itself and reconnects on the next query.
        session: ClickHouseSession | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._connect()
        return posts_viewed_by_user(
            session, self._database, user_id, self._window_hours, MAX_SEEN_POSTS
        )

    async def seen_by(self, user_id: str) -> set[str] | None:
        """The user's viewed posts, or None when they could not be read in time."""
        if not self.breaker.allow():
            metrics.SEEN_FILTER.labels("skipped_circuit_open").inc()
            return None
        loop = asyncio.get_running_loop()
        try:
            viewed = await asyncio.wait_for(
                loop.run_in_executor(self._pool, self._query, user_id), self._timeout
            )
        except asyncio.CancelledError:
            self.breaker.record_abandoned()  # the request went away; ClickHouse proved nothing
            raise
        except Exception as error:
            self.breaker.record_failure()
            metrics.SEEN_FILTER.labels("failed").inc()
            log.info(
                "seen filter skipped", extra={"error": f"{type(error).__name__}: {error}"[:200]}
            )
            return None
        self.breaker.record_success()
        metrics.SEEN_FILTER.labels("ok").inc()
        return viewed

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
