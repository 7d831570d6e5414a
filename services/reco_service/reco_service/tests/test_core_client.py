"""CoreApiClient against a real HTTP server implementing the Core contract."""

import asyncio
import time
from collections.abc import Iterator

import pytest

from onetake_testing.core_standin import CoreBehaviour, CoreStandIn
from reco_service.config import CoreApiSettings
from reco_service.core_client import HEALTH_CHECK_TAG, CoreApiClient, CoreUnavailableError, TagPosts

CATALOG = {
    "p1": ["python", "c++ & rust"],
    "p2": ["python"],
    "p3": ["naïve tag/with?chars"],
}


@pytest.fixture
def core() -> Iterator[CoreStandIn]:
    standin = CoreStandIn(CATALOG).start()
    yield standin
    standin.stop()


def client_for(core: CoreStandIn, **changes: float) -> CoreApiClient:
    values = {
        "connect_timeout_sec": 0.3,
        "read_timeout_sec": 0.3,
        "cache_ttl_sec": 30.0,
        "breaker_failures": 3,
        "breaker_reset_sec": 60.0,
        **changes,
    }
    return CoreApiClient(CoreApiSettings(url=core.url, **values))  # type: ignore[arg-type]


def fetch(client: CoreApiClient, tags: list[str], trace_id: str = "") -> list[TagPosts]:
    return asyncio.run(client.posts_by_tags(tags, trace_id))


def test_posts_of_each_tag_are_returned_with_their_tags(core: CoreStandIn) -> None:
    result = fetch(client_for(core), ["python"])
    assert result[0].ok
    assert {p.post_id: set(p.tags or ()) for p in result[0].posts} == {
        "p1": {"python", "c++ & rust"},
        "p2": {"python"},
    }


def test_tag_values_are_url_encoded(core: CoreStandIn) -> None:
    result = fetch(client_for(core), ["c++ & rust", "naïve tag/with?chars"])
    assert [[p.post_id for p in r.posts] for r in result] == [["p1"], ["p3"]]
    # The tags are fetched concurrently, so Core may see them in either order.
    assert sorted(r.tag for r in core.requests) == ["c++ & rust", "naïve tag/with?chars"]


def test_trace_id_is_passed_on_as_a_header(core: CoreStandIn) -> None:
    fetch(client_for(core), ["python"], trace_id="trace-123")
    assert core.requests[0].headers.get("X-Trace-Id") == "trace-123"


def test_answers_are_cached_per_tag(core: CoreStandIn) -> None:
    client = client_for(core)
    fetch(client, ["python"])
    fetch(client, ["python"])
    assert len(core.requests) == 1


def test_several_tags_are_fetched_concurrently(core: CoreStandIn) -> None:
    # Each answer takes 0.5 s, so requests sent one after another would never overlap.
    core.behaviour = CoreBehaviour(delay_sec=0.5)
    result = fetch(client_for(core, read_timeout_sec=5.0), ["a", "b", "c", "d"])
    assert all(r.ok for r in result)
    assert core.most_in_flight == 4


def test_slow_core_costs_at_most_the_read_timeout(core: CoreStandIn) -> None:
    core.behaviour = CoreBehaviour(delay_sec=2.0)
    started = time.monotonic()
    result = fetch(client_for(core, read_timeout_sec=0.2), ["python"])
    assert time.monotonic() - started < 1.0
    assert not result[0].ok and result[0].posts == ()


def test_failing_core_opens_the_circuit_and_then_is_not_called(core: CoreStandIn) -> None:
    core.behaviour = CoreBehaviour(status=503)
    client = client_for(core, breaker_failures=3, cache_ttl_sec=0.0)
    for _ in range(3):
        assert not fetch(client, ["python"])[0].ok
    assert client.breaker.is_open
    calls = len(core.requests)
    for _ in range(5):
        assert not fetch(client, ["python"])[0].ok
    assert len(core.requests) == calls


def test_unknown_tag_is_an_empty_list_not_a_failure(core: CoreStandIn) -> None:
    result = fetch(client_for(core), ["no-such-tag"])
    assert result[0].ok and result[0].posts == ()


def test_health_check_asks_core_for_the_check_tag_only(core: CoreStandIn) -> None:
    client_for(core).check()
    assert [(r.path, r.tag) for r in core.requests] == [("/api/posts", HEALTH_CHECK_TAG)]


def test_failed_health_checks_open_the_circuit_and_a_good_one_closes_it(
    core: CoreStandIn,
) -> None:
    client = client_for(core, breaker_failures=2)
    core.behaviour = CoreBehaviour(status=503)
    for _ in range(2):
        with pytest.raises(CoreUnavailableError):
            client.check()
    assert client.breaker.is_open
    core.behaviour = CoreBehaviour()
    client.check()
    assert not client.breaker.is_open
