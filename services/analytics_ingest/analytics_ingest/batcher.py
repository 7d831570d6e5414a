"""A bounded in-memory buffer that hands events to a sink in batches.

Flushes when `max_batch_size` events wait or the oldest waiting event is `max_batch_interval_sec`
old. Events count against the bounds until the sink confirms the write, so memory stays bounded
however long ClickHouse is away. The sink is the only way out, and batches leave in the order
events were offered: that is what lets the write-ahead log (wal.py) checkpoint with one number.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

log = logging.getLogger(__name__)

Row = TypeVar("Row")
RowContra = TypeVar("RowContra", contravariant=True)


class BatchSink(Protocol[RowContra]):
    async def write(self, batch: Sequence[RowContra]) -> None:
        """Store the batch; return only once it is stored (retrying as long as it takes)."""
        ...


class Admission(enum.Enum):
    ACCEPTED = "accepted"
    FULL = "full"  # the bound is reached: the caller should back off and retry
    CLOSED = "closed"  # shutting down: the caller should go to another instance


class EventBatcher(Generic[Row]):
    def __init__(
        self,
        sink: BatchSink[Row],
        max_batch_size: int,
        max_batch_interval_sec: float,
        max_buffered_events: int,
        max_buffered_bytes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sink = sink
        self._max_batch_size = max_batch_size
        self._max_interval = max_batch_interval_sec
        self._max_events = max_buffered_events
        self._max_bytes = max_buffered_bytes
        self._clock = clock
        self._pending: deque[tuple[float, Row, int]] = deque()  # (arrived_at, row, size)
        self._buffered_events = 0  # pending + the batch being written
        self._buffered_bytes = 0
        self._wakeup = asyncio.Event()
        self._closed = False

    @property
    def buffered_events(self) -> int:
        return self._buffered_events

    @property
    def buffered_bytes(self) -> int:
        return self._buffered_bytes

    def has_room(self) -> bool:
        return self._buffered_events < self._max_events and self._buffered_bytes < self._max_bytes

    def offer(self, rows: Sequence[Row], sizes: Sequence[int]) -> Admission:
        """Buffer all of `rows` or none of them."""
        if self._closed:
            return Admission.CLOSED
        total_size = sum(sizes)
        if (
            self._buffered_events + len(rows) > self._max_events
            or self._buffered_bytes + total_size > self._max_bytes
        ):
            return Admission.FULL
        now = self._clock()
        self._pending.extend((now, row, size) for row, size in zip(rows, sizes, strict=True))
        self._buffered_events += len(rows)
        self._buffered_bytes += total_size
        if len(self._pending) >= self._max_batch_size or len(self._pending) == len(rows):
            self._wakeup.set()  # a full batch, or a new oldest event whose deadline starts now
        return Admission.ACCEPTED

    def _due_in(self) -> float | None:
        """Seconds until the next flush is due: 0 = now, None = nothing waiting."""
        if not self._pending:
            return 0.0 if self._closed else None
        if self._closed or len(self._pending) >= self._max_batch_size:
            return 0.0
        return max(0.0, self._pending[0][0] + self._max_interval - self._clock())

    async def run(self) -> None:
        """Flush batches until closed and empty. Run it as one background task."""
        while True:
            due_in = self._due_in()
            while due_in is None or due_in > 0:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), due_in)
                due_in = self._due_in()
            if not self._pending:
                return  # closed and drained
            await self._flush_one()

    async def _flush_one(self) -> None:
        count = min(len(self._pending), self._max_batch_size)
        taken = [self._pending.popleft() for _ in range(count)]
        try:
            await self._sink.write([row for _, row, _ in taken])
        except BaseException:
            # Not stored (cancelled at a forced stop): put the batch back, oldest first.
            self._pending.extendleft(reversed(taken))
            raise
        self._buffered_events -= count
        self._buffered_bytes -= sum(size for _, _, size in taken)

    def close(self) -> None:
        """Stop accepting; `run` flushes what is buffered and then returns."""
        self._closed = True
        self._wakeup.set()
