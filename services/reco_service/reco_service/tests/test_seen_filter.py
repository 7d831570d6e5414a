"""SeenPostsFilter against a private ClickHouse server that goes away and comes back."""

import asyncio

from onetake_events.clickhouse import DriverSession
from onetake_testing.clickhouse_server import PrivateClickHouse
from reco_service import metrics
from reco_service.circuit_breaker import CircuitBreaker
from reco_service.seen_filter import SeenPostsFilter
from reco_service.tests.harness import seeded_database


def lookups(result: str) -> float:
    (metric,) = metrics.SEEN_FILTER.collect()
    return sum(
        sample.value
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.labels["result"] == result
    )


def test_an_outage_opens_the_circuit_and_clickhouse_is_asked_again_once_back(
    clickhouse: PrivateClickHouse,
) -> None:
    database = seeded_database(clickhouse, [("v1", "u1", "p1", 1.0), ("v2", "u1", "p2", 2.0)])
    seen = SeenPostsFilter(
        lambda: DriverSession(clickhouse.settings(database), timeout_sec=2.0),
        database,
        window_hours=72,
        timeout_sec=2.0,
        # Ten failing lookups take milliseconds, far less than the reset time.
        breaker=CircuitBreaker(failure_threshold=3, reset_after_sec=2.0),
    )

    async def scenario() -> tuple[set[str] | None, list[set[str] | None], set[str] | None]:
        before = await seen.seen_by("u1")
        await asyncio.to_thread(clickhouse.kill)
        try:
            during = [await seen.seen_by("u1") for _ in range(10)]
        finally:
            await asyncio.to_thread(clickhouse.start)
        await asyncio.sleep(2.0)  # the breaker's reset time: the next lookup is a trial
        after = await seen.seen_by("u1")
        return before, during, after

    ok, failed, skipped = lookups("ok"), lookups("failed"), lookups("skipped_circuit_open")
    before, during, after = asyncio.run(scenario())
    seen.close()
    assert before == {"p1", "p2"}
    assert during == [None] * 10
    assert lookups("failed") - failed == 3  # then the circuit opened ...
    assert lookups("skipped_circuit_open") - skipped == 7  # ... and ClickHouse was not asked
    assert after == {"p1", "p2"}
    assert lookups("ok") - ok == 2
    assert not seen.breaker.is_open
