"""Exponential backoff with full jitter, for retrying writes to a dependency that is away."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial_sec: float = 0.1
    maximum_sec: float = 5.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before retry number `attempt` (1-based): uniform in [0, min(max, initial*2^n)]."""
        ceiling = min(self.maximum_sec, self.initial_sec * 2 ** (attempt - 1))
        return (rng or random).uniform(0.0, ceiling)
