"""GetRecommendations end to end: real gRPC, a private ClickHouse, a real HTTP Core stand-in."""

import asyncio
import logging
import time
from collections.abc import Iterator

import grpc
import pytest
from grpc_health.v1 import health_pb2

from onetake_testing.clickhouse_server import PrivateClickHouse, free_port
from onetake_testing.core_standin import CoreBehaviour, CoreStandIn
from onetake_testing.waiting import wait_until
from reco_service import metrics
from reco_service.core_client import HEALTH_CHECK_TAG
from reco_service.tests.harness import running_reco, seeded_database

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING

# (event_id, user_id, post_id, hours ago)
VIEWS = [
    ("h1", "u1", "hot", 1),
    ("h2", "u2", "hot", 2),
    ("h3", "u3", "hot", 3),
    ("h3", "u3", "hot", 3),  # the same event stored twice (a retried insert)
    ("h3", "u3", "hot", 3),
    ("w1", "u1", "warm", 5),
    ("w2", "u2", "warm", 6),
    ("w3", "u3", "warm", 30),
    ("w4", "u4", "warm", 40),
    ("w5", "u5", "warm", 60),
    ("o1", "u1", "old", 50),
    ("o2", "u2", "old", 50),
    ("o3", "u3", "old", 50),
    ("o4", "u4", "old", 50),
    ("a1", "u1", "ancient", 100),
    ("a2", "u2", "ancient", 100),
]
# 24h: hot 3, warm 2.  72h: warm 5, old 4, hot 3.  ancient: outside both windows.
TRENDING_ONLY = [
    ("hot", 3.0, "trending_views_24h"),
    ("warm", 2.0, "trending_views_24h"),
    ("old", 4.0, "trending_views_72h"),
]
CATALOG = {
    "s-both": ["go", "db"],
    "s-go": ["go"],
    "s-db-hot": ["db"],
    "old": ["go"],  # also trending; must not appear twice
}
FAST_CORE = {"CORE_READ_TIMEOUT_SEC": "0.2", "CORE_CONNECT_TIMEOUT_SEC": "0.2"}


@pytest.fixture
def core() -> Iterator[CoreStandIn]:
    standin = CoreStandIn(CATALOG).start()
    yield standin
    standin.stop()


@pytest.fixture(scope="module")
def database(clickhouse: PrivateClickHouse) -> str:
    return seeded_database(clickhouse, VIEWS)


def test_trending_fills_from_24h_then_72h_counting_each_event_once(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn
) -> None:
    async def scenario() -> list[tuple[str, float, str]]:
        async with running_reco(clickhouse.port, database, core.url) as reco:
            return await reco.recommend(limit=10)

    assert asyncio.run(scenario()) == TRENDING_ONLY


def test_similar_by_tags_come_first_with_the_documented_scores(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn
) -> None:
    async def scenario() -> list[tuple[str, float, str]]:
        async with running_reco(clickhouse.port, database, core.url) as reco:
            return await reco.recommend(limit=10, context_tags=["go", "db"], trace_id="t-9")

    assert asyncio.run(scenario()) == [
        ("s-both", 1.0, "similar_by_tags"),
        ("old", 0.5, "similar_by_tags"),
        ("s-db-hot", 0.5, "similar_by_tags"),
        ("s-go", 0.5, "similar_by_tags"),
        ("hot", 3.0, "trending_views_24h"),
        ("warm", 2.0, "trending_views_24h"),
    ]
    tag_lookups = [r for r in core.requests if r.tag != HEALTH_CHECK_TAG]
    assert {r.headers.get("X-Trace-Id") for r in tag_lookups} == {"t-9"}


def test_context_post_and_excluded_ids_are_never_returned(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn
) -> None:
    async def scenario() -> list[tuple[str, float, str]]:
        async with running_reco(clickhouse.port, database, core.url) as reco:
            return await reco.recommend(
                limit=10,
                context_tags=["go"],
                context_post_id="hot",
                exclude_post_ids=["s-go", "warm"],
            )

    assert [post for post, _, _ in asyncio.run(scenario())] == ["old", "s-both"]


def test_limit_bounds_the_answer(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn
) -> None:
    async def scenario() -> list[tuple[str, float, str]]:
        async with running_reco(clickhouse.port, database, core.url) as reco:
            return await reco.recommend(limit=2, context_tags=["go", "db"])

    assert [post for post, _, _ in asyncio.run(scenario())] == ["s-both", "old"]


def test_seen_filter_leaves_out_posts_the_user_viewed(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn
) -> None:
    async def scenario(**settings: str) -> list[str]:
        async with running_reco(clickhouse.port, database, core.url, **settings) as reco:
            return [post for post, _, _ in await reco.recommend(user_id="u4", limit=10)]

    assert asyncio.run(scenario()) == ["hot"]  # u4 viewed warm and old
    assert asyncio.run(scenario(SEEN_FILTER_ENABLED="false")) == ["hot", "warm", "old"]


@pytest.mark.parametrize(
    ("fields", "field_named"),
    [
        ({"limit": -5}, "limit"),
        ({"context_tags": ["t"] * 21}, "context_tags"),
        ({"exclude_post_ids": ["x" * 200]}, "exclude_post_ids"),
    ],
)
def test_invalid_request_gets_invalid_argument_naming_the_field(
    clickhouse: PrivateClickHouse,
    database: str,
    core: CoreStandIn,
    fields: dict[str, object],
    field_named: str,
) -> None:
    async def scenario() -> grpc.aio.AioRpcError:
        async with running_reco(clickhouse.port, database, core.url) as reco:
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await reco.recommend(**fields)
            return raised.value

    error = asyncio.run(scenario())
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (error.details() or "").startswith(f"{field_named}:")


@pytest.mark.parametrize("failure", ["down", "slow", "failing"])
def test_core_trouble_still_answers_fast_with_trending(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn, failure: str
) -> None:
    if failure == "down":
        core.stop()
    elif failure == "slow":
        core.behaviour = CoreBehaviour(delay_sec=3.0)
    else:
        core.behaviour = CoreBehaviour(status=500)

    async def scenario() -> tuple[list[tuple[str, float, str]], float, int]:
        async with running_reco(
            clickhouse.port, database, core.url, CORE_BREAKER_FAILURES="2", **FAST_CORE
        ) as reco:
            started = time.monotonic()
            first = await reco.recommend(limit=10, context_tags=["go"])
            elapsed = time.monotonic() - started
            await reco.recommend(limit=10, context_tags=["db"])  # second failure opens the circuit
            await asyncio.sleep(1.2)  # health probes run every second
            return first, elapsed, await reco.served.health("dependency/core")

    items, elapsed, core_health = asyncio.run(scenario())
    assert items == TRENDING_ONLY
    assert elapsed < 1.0
    assert core_health == NOT_SERVING


def circuit_open_gauge() -> float:
    (metric,) = metrics.CORE_CIRCUIT_OPEN.collect()
    return float(metric.samples[0].value)


def test_core_health_is_checked_while_no_request_needs_core(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn
) -> None:
    core.stop()  # dead before reco starts; no request with tags will tell reco

    async def scenario() -> tuple[int, float, int, float]:
        async with running_reco(
            clickhouse.port,
            database,
            core.url,
            DEPENDENCY_CHECK_SEC="0.2",
            CORE_BREAKER_FAILURES="2",
            **FAST_CORE,
        ) as reco:
            health_while_down = await reco.served.health_once_settled(
                "dependency/core", NOT_SERVING
            )
            await wait_until(lambda: circuit_open_gauge() == 1.0, 10.0)
            circuit_while_down = circuit_open_gauge()
            core.start()  # the same port again
            health_after = await reco.served.health_once_settled("dependency/core", SERVING)
            await wait_until(lambda: circuit_open_gauge() == 0.0, 10.0)
            circuit_after = circuit_open_gauge()
            return health_while_down, circuit_while_down, health_after, circuit_after

    health_while_down, circuit_while_down, health_after, circuit_after = asyncio.run(scenario())
    assert (health_while_down, circuit_while_down) == (NOT_SERVING, 1.0)
    assert (health_after, circuit_after) == (SERVING, 0.0)
    assert {r.tag for r in core.requests} == {HEALTH_CHECK_TAG}


def test_both_dependencies_down_answers_ok_and_empty(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> list[list[tuple[str, float, str]]]:
        dead = f"http://127.0.0.1:{free_port()}"
        async with running_reco(free_port(), "nowhere", dead, **FAST_CORE) as reco:
            return [await reco.recommend(limit=5, context_tags=["go"]) for _ in range(5)]

    caplog.set_level(logging.INFO, logger="reco_service.servicer")
    assert asyncio.run(scenario()) == [[]] * 5
    # Five degraded answers, one INFO line saying why (more would flood the log in an outage).
    lines = [r for r in caplog.records if r.getMessage() == "recommendations served"]
    assert [(r.levelno, getattr(r, "degraded", None)) for r in lines] == [
        (logging.INFO, ["core", "trending"])
    ]


def test_clickhouse_down_after_a_refresh_serves_the_last_good_lists(
    clickhouse: PrivateClickHouse, database: str, core: CoreStandIn
) -> None:
    async def scenario() -> tuple[list[tuple[str, float, str]], int, int]:
        async with running_reco(
            clickhouse.port, database, core.url, TRENDING_REFRESH_SEC="0.2"
        ) as reco:
            assert await reco.served.health("dependency/clickhouse") == SERVING
            await asyncio.to_thread(clickhouse.kill)
            try:
                await asyncio.sleep(1.5)  # several failed refreshes, and a health probe
                items = await reco.recommend(limit=10)
                health = await reco.served.health("dependency/clickhouse")
                overall = await reco.served.health("")
            finally:
                await asyncio.to_thread(clickhouse.start)
            return items, health, overall

    items, clickhouse_health, overall = asyncio.run(scenario())
    assert items == TRENDING_ONLY
    assert clickhouse_health == NOT_SERVING
    assert overall == SERVING  # degraded, still answering
