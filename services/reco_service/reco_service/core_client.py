"""Client of the Core REST API (contracts/http/core-api.md): posts by tag.

Pooled HTTP session, explicit connect/read timeouts, one request per tag run concurrently on a
thread pool, a short per-tag cache, and a circuit breaker. It never raises: a tag whose posts
could not be read contributes nothing, and the caller learns why from `TagPosts.ok`. `health`
knows whether Core answers, from real calls or, while there are none, from a small check request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter

from onetake_grpc.dependency import DependencyStatus
from reco_service import metrics
from reco_service.circuit_breaker import CircuitBreaker
from reco_service.config import CoreApiSettings
from reco_service.ttl_cache import TtlCache

log = logging.getLogger(__name__)

POSTS_PER_TAG = 100
TRACE_HEADER = "X-Trace-Id"
HEALTH_CHECK_TAG = "onetake-health-check"  # asked for with limit=1 while Core is otherwise idle


@dataclass(frozen=True)
class CorePost:
    post_id: str
    tags: frozenset[str] | None  # None when Core did not say


@dataclass(frozen=True)
class TagPosts:
    tag: str
    posts: tuple[CorePost, ...]
    ok: bool  # False: Core could not be asked or did not answer usefully


class CoreUnavailableError(Exception):
    pass


def parse_posts(body: object) -> tuple[CorePost, ...]:
    """Posts from a 200 answer; entries without a string id are skipped, per the contract."""
    if not isinstance(body, dict) or not isinstance(body.get("posts"), list):
        raise ValueError("expected a JSON object with a 'posts' array")
    posts = []
    for entry in body["posts"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            continue
        tags = entry.get("tags")
        known_tags = (
            frozenset(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else None
        )
        posts.append(CorePost(entry["id"], known_tags))
    return tuple(posts)


class CoreApiClient:
    def __init__(
        self,
        settings: CoreApiSettings,
        check_when_idle_sec: float = 10.0,
        max_concurrency: int = 16,
    ) -> None:
        self._settings = settings
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max_concurrency, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["Accept"] = "application/json"
        self._pool = ThreadPoolExecutor(max_concurrency, thread_name_prefix="core-api")
        self._cache: TtlCache[str, tuple[CorePost, ...]] = TtlCache(
            settings.cache_ttl_sec, max_entries=10_000
        )
        self.breaker = CircuitBreaker(settings.breaker_failures, settings.breaker_reset_sec)
        self.health = DependencyStatus("core", self.check, idle_after_sec=check_when_idle_sec)

    def _fetch(self, tag: str, trace_id: str, limit: int = POSTS_PER_TAG) -> tuple[CorePost, ...]:
        """Blocking GET of one tag; raises CoreUnavailableError on anything but a usable answer."""
        headers = {TRACE_HEADER: trace_id} if trace_id else {}
        started = time.perf_counter()
        try:
            response = self._session.get(
                f"{self._settings.url}/api/posts",
                params={"tag": tag, "limit": str(limit)},  # requests URL-encodes them
                headers=headers,
                timeout=(self._settings.connect_timeout_sec, self._settings.read_timeout_sec),
            )
        except requests.RequestException as error:
            raise CoreUnavailableError(type(error).__name__) from error
        finally:
            metrics.CORE_SECONDS.observe(time.perf_counter() - started)
        if response.status_code == 404:
            return ()  # unknown tag
        if response.status_code >= 500:
            raise CoreUnavailableError(f"HTTP {response.status_code}")
        if response.status_code != 200:
            log.warning("Core refused a request", extra={"status": response.status_code})
            return ()
        try:
            return parse_posts(response.json())
        except ValueError as error:
            raise CoreUnavailableError(f"bad body: {error}") from error

    def _posts_for_tag(self, tag: str, trace_id: str) -> TagPosts:
        cached = self._cache.get(tag)
        if cached is not None:
            metrics.CORE_CACHE.labels("hit").inc()
            return TagPosts(tag, cached, ok=True)
        metrics.CORE_CACHE.labels("miss").inc()
        if not self.breaker.allow():
            metrics.CORE_CALLS.labels("skipped_circuit_open").inc()
            return TagPosts(tag, (), ok=False)
        try:
            posts = self._fetch(tag, trace_id)
        except CoreUnavailableError as error:
            self.breaker.record_failure()
            self.health.record(False)
            metrics.CORE_CALLS.labels("failed").inc()
            log.warning("Core call failed", extra={"tag": tag, "error": str(error)})
            return TagPosts(tag, (), ok=False)
        self.breaker.record_success()
        self.health.record(True)
        metrics.CORE_CALLS.labels("ok").inc()
        self._cache.put(tag, posts)
        return TagPosts(tag, posts, ok=True)

    def check(self) -> None:
        """Blocking health check: raises when Core does not answer. It feeds the circuit breaker
        too, so a Core that died while idle costs the first requests nothing, and one that came
        back is used again without waiting for the breaker's reset time."""
        try:
            self._fetch(HEALTH_CHECK_TAG, "", limit=1)
        except CoreUnavailableError:
            self.breaker.record_failure()
            raise
        self.breaker.record_success()

    async def posts_by_tags(self, tags: Sequence[str], trace_id: str = "") -> list[TagPosts]:
        """One TagPosts per tag, fetched concurrently; never raises, never waits past timeouts."""
        loop = asyncio.get_running_loop()
        return list(
            await asyncio.gather(
                *(
                    loop.run_in_executor(self._pool, self._posts_for_tag, tag, trace_id)
                    for tag in tags
                )
            )
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._session.close()
