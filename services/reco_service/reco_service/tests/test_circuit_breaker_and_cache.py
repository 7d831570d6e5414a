from reco_service.circuit_breaker import CircuitBreaker
from reco_service.tests.clock import FakeClock
from reco_service.ttl_cache import TtlCache


def test_breaker_opens_after_consecutive_failures_and_skips_calls() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, reset_after_sec=10, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert not breaker.is_open
    breaker.record_failure()
    assert breaker.is_open
    assert not breaker.allow()


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, reset_after_sec=10, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert not breaker.is_open


def test_after_the_reset_time_one_trial_call_decides() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after_sec=10, clock=clock)
    breaker.record_failure()
    clock.now = 10.0
    assert breaker.allow()  # the trial
    assert not breaker.allow()  # only one at a time
    breaker.record_failure()
    assert not breaker.allow()  # open again for another 10 s
    clock.now = 20.0
    assert breaker.allow()
    breaker.record_success()
    assert not breaker.is_open and breaker.allow()


def test_an_abandoned_trial_lets_the_next_call_try() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after_sec=10, clock=clock)
    breaker.record_failure()
    clock.now = 10.0
    assert breaker.allow()  # the trial, whose caller is then cancelled
    breaker.record_abandoned()
    assert breaker.is_open  # nothing was learnt
    assert breaker.allow()  # but the next call may try


def test_cache_entries_expire_after_the_ttl() -> None:
    clock = FakeClock()
    cache: TtlCache[str, int] = TtlCache(ttl_sec=5, max_entries=10, clock=clock)
    cache.put("a", 1)
    clock.now = 4.9
    assert cache.get("a") == 1
    clock.now = 5.0
    assert cache.get("a") is None


def test_cache_drops_the_oldest_entries_beyond_its_size() -> None:
    cache: TtlCache[str, int] = TtlCache(ttl_sec=60, max_entries=2, clock=FakeClock())
    for key, value in (("a", 1), ("b", 2), ("c", 3)):
        cache.put(key, value)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, 2, 3)
