"""What a service knows about one dependency, so health tells the truth even while idle.

Real calls report their outcome with `record`. A service that sends a dependency nothing would
otherwise go on reporting it healthy long after it died, so `watch` runs a cheap `check` whenever
no outcome has arrived for `idle_after_sec`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class DependencyStatus:
    def __init__(
        self,
        name: str,
        check: Callable[[], None],  # blocking; raises when the dependency is unusable
        idle_after_sec: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self._check = check
        self._idle_after = idle_after_sec
        self._clock = clock
        self._last_outcome_at: float | None = None
        self.healthy = True  # until something says otherwise; the first check runs at start
        self.checks_run = 0

    def record(self, ok: bool) -> None:
        """The outcome of a real call (or of a check). Safe to call from any thread."""
        self.healthy = ok
        self._last_outcome_at = self._clock()

    def _idle_for(self) -> float:
        if self._last_outcome_at is None:
            return float("inf")
        return self._clock() - self._last_outcome_at

    async def _run_check(self) -> None:
        self.checks_run += 1
        try:
            await asyncio.to_thread(self._check)
        except Exception as error:  # drivers raise many kinds; any of them means "unusable"
            if self.healthy:
                log.warning(
                    "dependency check failed",
                    extra={"dependency": self.name, "error": f"{type(error).__name__}: {error}"},
                )
            self.record(False)
        else:
            self.record(True)

    async def watch(self) -> None:
        """Run until cancelled: check the dependency whenever it has been idle too long."""
        while True:
            if self._idle_for() >= self._idle_after:
                await self._run_check()
            await asyncio.sleep(max(self._idle_after - self._idle_for(), 0.01))
