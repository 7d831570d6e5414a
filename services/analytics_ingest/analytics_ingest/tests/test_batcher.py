"""The batcher alone, with an in-memory sink standing in for ClickHouse (the edge)."""

import asyncio
from collections.abc import Sequence

from analytics_ingest.batcher import Admission, EventBatcher


class RecordingSink:
    def __init__(self, failures: int = 0) -> None:
        self.batches: list[list[int]] = []
        self.failures = failures  # attempts to fail before succeeding
        self.attempts = 0
        self.release = asyncio.Event()
        self.release.set()

    async def write(self, batch: Sequence[int]) -> None:
        while True:  # like the ClickHouse writer: retry until stored
            await self.release.wait()
            self.attempts += 1
            if self.attempts > self.failures:
                self.batches.append(list(batch))
                return
            await asyncio.sleep(0.01)


def make_batcher(
    sink: RecordingSink, size: int = 3, interval: float = 60.0, max_events: int = 100
) -> EventBatcher[int]:
    return EventBatcher(sink, size, interval, max_events, max_buffered_bytes=10_000)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0.01)


def test_flushes_when_batch_size_is_reached() -> None:
    async def scenario() -> list[list[int]]:
        sink = RecordingSink()
        batcher = make_batcher(sink, size=3)
        runner = asyncio.create_task(batcher.run())
        batcher.offer([1, 2], [1, 1])
        await settle()
        assert sink.batches == []
        batcher.offer([3, 4], [1, 1])
        await settle()
        batcher.close()
        await runner
        return sink.batches

    assert asyncio.run(scenario()) == [[1, 2, 3], [4]]


def test_flushes_when_oldest_event_reaches_the_interval() -> None:
    async def scenario() -> tuple[list[list[int]], list[list[int]]]:
        sink = RecordingSink()
        batcher = make_batcher(sink, size=1000, interval=0.2)
        runner = asyncio.create_task(batcher.run())
        batcher.offer([1], [1])
        await asyncio.sleep(0.05)
        before = list(sink.batches)
        await asyncio.sleep(0.3)
        after = list(sink.batches)
        batcher.close()
        await runner
        return before, after

    before, after = asyncio.run(scenario())
    assert before == []
    assert after == [[1]]


def test_never_puts_more_than_batch_size_in_one_write() -> None:
    async def scenario() -> list[list[int]]:
        sink = RecordingSink()
        batcher = make_batcher(sink, size=4)
        batcher.offer(list(range(10)), [1] * 10)
        batcher.close()
        await batcher.run()
        return sink.batches

    assert [len(batch) for batch in asyncio.run(scenario())] == [4, 4, 2]


def test_full_buffer_refuses_the_whole_offer() -> None:
    sink = RecordingSink()
    batcher = make_batcher(sink, size=1000, max_events=5)
    assert batcher.offer([1, 2, 3], [1, 1, 1]) is Admission.ACCEPTED
    assert batcher.offer([4, 5, 6], [1, 1, 1]) is Admission.FULL
    assert batcher.buffered_events == 3
    by_bytes = EventBatcher(sink, 10, 1.0, 10, max_buffered_bytes=5)
    assert by_bytes.offer([1], [6]) is Admission.FULL


def test_events_count_against_the_bound_until_the_sink_stored_them() -> None:
    async def scenario() -> tuple[int, Admission, int]:
        sink = RecordingSink()
        sink.release.clear()  # ClickHouse away: the write does not complete
        batcher = make_batcher(sink, size=2, max_events=3)
        runner = asyncio.create_task(batcher.run())
        batcher.offer([1, 2], [1, 1])
        await settle()
        in_flight = batcher.buffered_events
        refused = batcher.offer([3, 4], [1, 1])
        sink.release.set()
        batcher.close()
        await runner
        return in_flight, refused, batcher.buffered_events

    assert asyncio.run(scenario()) == (2, Admission.FULL, 0)


def test_failed_writes_are_retried_until_stored() -> None:
    async def scenario() -> list[list[int]]:
        sink = RecordingSink(failures=3)
        batcher = make_batcher(sink, size=2)
        batcher.offer([1, 2], [1, 1])
        batcher.close()
        await batcher.run()
        return sink.batches

    assert asyncio.run(scenario()) == [[1, 2]]


def test_close_flushes_everything_and_refuses_new_events() -> None:
    async def scenario() -> tuple[list[list[int]], Admission]:
        sink = RecordingSink()
        batcher = make_batcher(sink, size=100, interval=3600)
        runner = asyncio.create_task(batcher.run())
        batcher.offer([1, 2, 3], [1, 1, 1])
        batcher.close()
        refused = batcher.offer([4], [1])
        await asyncio.wait_for(runner, 5)
        return sink.batches, refused

    assert asyncio.run(scenario()) == ([[1, 2, 3]], Admission.CLOSED)


def test_cancelled_write_keeps_the_batch_buffered() -> None:
    async def scenario() -> int:
        sink = RecordingSink()
        sink.release.clear()
        batcher = make_batcher(sink, size=2)
        runner = asyncio.create_task(batcher.run())
        batcher.offer([1, 2, 3], [1, 1, 1])
        await settle()
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        return batcher.buffered_events

    assert asyncio.run(scenario()) == 3
