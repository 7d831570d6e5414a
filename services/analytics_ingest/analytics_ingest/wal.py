"""Write-ahead log: an accepted event is on local disk (fsync'd) before its RPC is acknowledged,
and stays there until ClickHouse has stored it, so a crash of the process loses nothing.

Events are numbered in the order they are accepted. The batcher stores them in that same order,
so "stored through N" is one number; segment files wholly below it are deleted. At start-up the
segments left by the previous process are read back and replayed (ClickHouse may already hold
some of them: every query counts distinct event_id, so that is harmless). Appends are group
committed: concurrent RPCs share one write and one fsync.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from analytics_ingest import metrics
from analytics_ingest.validation import EventRow

log = logging.getLogger(__name__)

SEGMENT_SUFFIX = ".wal"
LOCK_NAME = "LOCK"


class WalError(RuntimeError):
    pass


def encode(row: EventRow) -> bytes:
    fields = [row.ts.isoformat(), row.received_at.isoformat()]
    return json.dumps([row.event_id, *fields, *row[3:]], ensure_ascii=False).encode() + b"\n"


def decode(line: bytes) -> EventRow:
    event_id, ts, received_at, *rest = json.loads(line)
    return EventRow(
        event_id, datetime.fromisoformat(ts), datetime.fromisoformat(received_at), *rest
    )


@dataclass
class Segment:
    path: Path
    last_seq: int  # number of the last event it holds


class WriteAheadLog:
    def __init__(self, directory: Path, segment_max_bytes: int = 16 * 1024 * 1024) -> None:
        self._directory = directory
        self._segment_max_bytes = segment_max_bytes
        self._closed_segments: list[Segment] = []
        self._current: IO[bytes] | None = None
        self._current_segment: Segment | None = None
        self._next_seq = 1
        self._stored_through = 0
        self._pending: list[tuple[bytes, int, asyncio.Future[None]]] = []  # data, last seq, done
        self._wake = asyncio.Event()
        self._closing = False
        self._lock_file: IO[bytes] | None = None

    def open(self) -> list[EventRow]:
        """Lock the directory and read back what the previous process left: to be replayed."""
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
            self._lock_file = (self._directory / LOCK_NAME).open("ab")
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WalError(f"{self._directory} is in use by another ingest process") from None
        except OSError as error:
            raise WalError(
                f"cannot use {self._directory} for the write-ahead log: {error}"
            ) from None
        rows: list[EventRow] = []
        for path in sorted(self._directory.glob(f"*{SEGMENT_SUFFIX}")):
            rows.extend(self._read_segment(path))
            self._closed_segments.append(Segment(path, len(rows)))
        self._next_seq = len(rows) + 1
        if rows:
            log.info("replaying events from the write-ahead log", extra={"events": len(rows)})
        return rows

    @staticmethod
    def _read_segment(path: Path) -> list[EventRow]:
        rows = []
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            try:
                rows.append(decode(line))
            except (ValueError, TypeError):
                # A torn final write: that append was never acknowledged.
                log.warning(
                    "skipping an unreadable WAL record", extra={"file": str(path), "line": number}
                )
        return rows

    async def append(self, rows: Sequence[EventRow]) -> None:
        """Return once `rows` are durable on disk. Raises WalError if they could not be written."""
        if not rows:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._next_seq += len(rows)
        self._pending.append((b"".join(encode(row) for row in rows), self._next_seq - 1, future))
        self._wake.set()
        await future

    def stored_through(self, seq: int) -> None:
        """Events 1..seq are in ClickHouse: their segments may go."""
        if seq > self._stored_through:
            self._stored_through = seq
            self._wake.set()

    @property
    def accepted_through(self) -> int:
        return self._next_seq - 1

    def _new_segment_path(self) -> Path:
        # Named by creation time: unique across restarts (event numbers start again at each one).
        stamp = time.time_ns()
        while (path := self._directory / f"{stamp:020d}{SEGMENT_SUFFIX}").exists():
            stamp += 1
        return path

    def _write(self, data: bytes, last_seq: int) -> None:
        if self._current is None:
            path = self._new_segment_path()
            self._current = path.open("ab")
            self._current_segment = Segment(path, last_seq)
            directory = os.open(self._directory, os.O_RDONLY)
            try:
                os.fsync(directory)  # the new file's name must survive a crash too
            finally:
                os.close(directory)
        assert self._current_segment is not None
        self._current.write(data)
        self._current.flush()
        os.fsync(self._current.fileno())
        self._current_segment.last_seq = last_seq
        if self._current.tell() >= self._segment_max_bytes:
            self._roll()

    def _roll(self) -> None:
        if self._current is not None and self._current_segment is not None:
            self._current.close()
            self._closed_segments.append(self._current_segment)
        self._current = None
        self._current_segment = None

    def _delete_stored_segments(self, stored: int) -> None:
        current = self._current_segment
        if current is not None and current.last_seq <= stored:
            self._roll()  # everything in it is stored: retire it now rather than let it grow
        keep = []
        for segment in self._closed_segments:
            if segment.last_seq <= stored:
                with contextlib.suppress(FileNotFoundError):
                    segment.path.unlink()
            else:
                keep.append(segment)
        self._closed_segments = keep

    async def run(self) -> None:
        """The one writer: group-commits appends and deletes stored segments. A background task."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            closing = self._closing  # read first: a close() during this pass gets one more pass
            if self._pending:
                batch, self._pending = self._pending, []
                data = b"".join(chunk for chunk, _, _ in batch)
                started = time.perf_counter()
                try:
                    await asyncio.to_thread(self._write, data, batch[-1][1])
                except OSError as error:
                    failure = WalError(f"write-ahead log write failed: {error}")
                    for _, _, future in batch:
                        if not future.done():
                            future.set_exception(failure)
                else:
                    metrics.WAL_WRITE_SECONDS.observe(time.perf_counter() - started)
                    for _, _, future in batch:
                        if not future.done():
                            future.set_result(None)
            metrics.WAL_UNSTORED_EVENTS.set(self.accepted_through - self._stored_through)
            if not self._pending:
                await asyncio.to_thread(self._delete_stored_segments, self._stored_through)
            if closing and not self._pending:
                return

    async def close(self, runner: asyncio.Task[None]) -> None:
        """Finish pending writes, delete what is stored, release the directory."""
        self._closing = True
        self._wake.set()
        await runner
        if self._current is not None:
            self._current.close()
            self._current = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
        left = self.accepted_through - self._stored_through
        if left > 0:
            log.warning(
                "events not yet stored stay in the write-ahead log for the next start",
                extra={"events": left, "directory": str(self._directory)},
            )
