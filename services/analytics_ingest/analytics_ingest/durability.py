"""Glue between the batcher and the write-ahead log."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from analytics_ingest.batcher import Admission, BatchSink, EventBatcher
from analytics_ingest.validation import EventRow, row_size
from analytics_ingest.wal import WriteAheadLog


class CheckpointingSink:
    """Tells the WAL which events ClickHouse has stored. The batcher stores events in the order
    they were accepted, which is the WAL's numbering, so a running count is the checkpoint."""

    def __init__(self, inner: BatchSink[EventRow], wal: WriteAheadLog) -> None:
        self._inner = inner
        self._wal = wal
        self._stored = 0

    async def write(self, batch: Sequence[EventRow]) -> None:
        await self._inner.write(batch)
        self._stored += len(batch)
        self._wal.stored_through(self._stored)


async def replay(rows: Sequence[EventRow], batcher: EventBatcher[EventRow], chunk: int) -> None:
    """Hand events recovered from the WAL to the batcher, waiting for room when it is full."""
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        while (admission := batcher.offer(part, [row_size(r) for r in part])) is Admission.FULL:
            await asyncio.sleep(0.05)
        if admission is Admission.CLOSED:
            return
