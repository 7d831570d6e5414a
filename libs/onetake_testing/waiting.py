"""Waiting for something that happens a moment later (a flush, a health change, a container)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


def poll_until(
    condition: Callable[[], bool], timeout_sec: float, interval_sec: float = 0.05
) -> bool:
    """Call `condition` until it is true (True) or `timeout_sec` passed (False)."""
    deadline = time.monotonic() + timeout_sec
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval_sec)
    return False


async def wait_until(
    condition: Callable[[], bool], timeout_sec: float = 15.0, interval_sec: float = 0.05
) -> bool:
    """`poll_until` for async tests; `condition` runs in a worker thread, so it may block."""
    deadline = time.monotonic() + timeout_sec
    while time.monotonic() < deadline:
        if await asyncio.to_thread(condition):
            return True
        await asyncio.sleep(interval_sec)
    return False
