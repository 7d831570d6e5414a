"""Says why answers are degraded without writing a log line per request through an outage."""

from __future__ import annotations

import time
from collections.abc import Callable


class DegradedAnswerLog:
    """Decides which degraded answers get an INFO line: the first for each set of missing sources,
    then at most one per `every_sec`, carrying how many such answers it stands for. (The
    metric reco_degraded_total counts each one; DEBUG logs each one.)"""

    def __init__(
        self, every_sec: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._every = every_sec
        self._clock = clock
        self._last_line_at: dict[tuple[str, ...], float] = {}
        self._answers_since: dict[tuple[str, ...], int] = {}  # at most 2^3 keys: the sources

    def note(self, missing: tuple[str, ...]) -> int | None:
        """Record one answer missing these sources. A count (this answer included, and those
        not logged since the last line) when a line is due now; None to log it at DEBUG only."""
        now = self._clock()
        count = self._answers_since.get(missing, 0) + 1
        last = self._last_line_at.get(missing)
        if last is not None and now - last < self._every:
            self._answers_since[missing] = count
            return None
        self._last_line_at[missing] = now
        self._answers_since[missing] = 0
        return count
