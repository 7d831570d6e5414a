"""The write-ahead log on a real directory: durability, recovery, clean-up, exclusive use."""

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from analytics_ingest.validation import EventRow
from analytics_ingest.wal import SEGMENT_SUFFIX, WalError, WriteAheadLog

T = datetime(2026, 12, 1, 12, 0, 0, 123000)


def row(event_id: str) -> EventRow:
    return EventRow(event_id, T, T, "u", "s", "post_view", "/", "post", "p", '{"k": "ü"}', "t")


def segments(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{SEGMENT_SUFFIX}"))


async def appended(directory: Path, *batches: list[EventRow], stored: int = 0) -> None:
    """Append batches, mark `stored` events stored, and stop without a clean shutdown."""
    wal = WriteAheadLog(directory)
    assert wal.open() == []
    runner = asyncio.create_task(wal.run())
    await asyncio.gather(*(wal.append(batch) for batch in batches))
    wal.stored_through(stored)
    await wal.close(runner)


def test_appended_events_are_recovered_by_the_next_process_exactly(tmp_path: Path) -> None:
    asyncio.run(appended(tmp_path, [row("a"), row("b")], [row("c")]))
    recovered = WriteAheadLog(tmp_path).open()
    assert recovered == [row("a"), row("b"), row("c")]


def test_stored_events_are_deleted(tmp_path: Path) -> None:
    asyncio.run(appended(tmp_path, [row("a"), row("b")], stored=2))
    assert segments(tmp_path) == []
    assert WriteAheadLog(tmp_path).open() == []


def test_a_partly_stored_segment_is_kept_whole(tmp_path: Path) -> None:
    asyncio.run(appended(tmp_path, [row("a"), row("b")], stored=1))
    assert [r.event_id for r in WriteAheadLog(tmp_path).open()] == ["a", "b"]


def test_recovered_events_are_deleted_once_stored_and_new_ones_kept(tmp_path: Path) -> None:
    asyncio.run(appended(tmp_path, [row("old-1"), row("old-2")]))

    async def second_life() -> None:
        wal = WriteAheadLog(tmp_path)
        assert len(wal.open()) == 2
        runner = asyncio.create_task(wal.run())
        await wal.append([row("new-3")])
        wal.stored_through(2)  # the two replayed events reached ClickHouse
        await wal.close(runner)

    asyncio.run(second_life())
    assert [r.event_id for r in WriteAheadLog(tmp_path).open()] == ["new-3"]


def test_a_torn_last_record_is_skipped(tmp_path: Path) -> None:
    asyncio.run(appended(tmp_path, [row("a")]))
    with segments(tmp_path)[0].open("ab") as segment:
        segment.write(b'["half-writt')
    assert [r.event_id for r in WriteAheadLog(tmp_path).open()] == ["a"]


def test_a_second_process_cannot_use_the_same_directory(tmp_path: Path) -> None:
    first = WriteAheadLog(tmp_path)
    first.open()
    with pytest.raises(WalError, match="in use"):
        WriteAheadLog(tmp_path).open()
