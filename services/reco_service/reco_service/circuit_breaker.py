"""A circuit breaker, so that a dead dependency costs nothing per request.

Closed: calls go through; `failure_threshold` consecutive failures open it. Open: calls are
skipped until `reset_after_sec` has passed; then one trial call is let through (half-open), whose
success closes the circuit and whose failure opens it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int,
        reset_after_sec: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = failure_threshold
        self._reset_after = reset_after_sec
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False
        self._lock = threading.Lock()  # calls are made from a thread pool

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if self._trial_in_flight or self._clock() - self._opened_at < self._reset_after:
                return False
            self._trial_in_flight = True
            return True

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_in_flight = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_in_flight or self._failures >= self._threshold:
                self._opened_at = self._clock()
            self._trial_in_flight = False

    def record_abandoned(self) -> None:
        """The caller went away before the outcome was known: free the trial slot, count nothing."""
        with self._lock:
            self._trial_in_flight = False
