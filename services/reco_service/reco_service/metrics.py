"""Prometheus metrics of the recommendation pipeline."""

import re
import threading

from prometheus_client import Counter, Gauge, Histogram

# feed_type comes from clients: bound the label values so a client cannot explode cardinality.
MAX_FEED_TYPE_LABELS = 32
_FEED_TYPE = re.compile(r"[a-z0-9_]{1,32}")
_feed_types: set[str] = set()
_feed_types_lock = threading.Lock()


def feed_type_label(feed_type: str) -> str:
    """The metric label for a feed_type: itself while few are seen, else 'other'."""
    if not feed_type:
        return "unspecified"
    if not _FEED_TYPE.fullmatch(feed_type):
        return "other"
    with _feed_types_lock:
        if feed_type in _feed_types or len(_feed_types) < MAX_FEED_TYPE_LABELS:
            _feed_types.add(feed_type)
            return feed_type
    return "other"


REQUEST_SECONDS = Histogram(
    "reco_request_seconds",
    "GetRecommendations latency by feed_type ('unspecified', 'other' past 32 distinct values).",
    ["feed_type"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
ITEMS_RETURNED = Counter("reco_items_returned_total", "Items returned, by reason.", ["reason"])
DEGRADED = Counter(
    "reco_degraded_total",
    "Requests answered without a source: core (similar_by_tags), trending, seen_filter.",
    ["source"],
)
CORE_CALLS = Counter(
    "reco_core_calls_total", "Core API tag lookups: ok, failed, skipped_circuit_open.", ["result"]
)
CORE_CACHE = Counter("reco_core_cache_total", "Per-tag cache lookups: hit or miss.", ["result"])
CORE_SECONDS = Histogram(
    "reco_core_request_seconds",
    "Duration of HTTP calls to Core.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
SEEN_FILTER = Counter(
    "reco_seen_filter_total",
    "Seen-filter lookups in ClickHouse: ok, failed (error or timeout), skipped_circuit_open.",
    ["result"],
)
CORE_CIRCUIT_OPEN = Gauge("reco_core_circuit_open", "1 while the Core circuit breaker is open.")
TRENDING_REFRESH_SECONDS = Histogram(
    "reco_trending_refresh_seconds",
    "Duration of successful trending refreshes.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TRENDING_REFRESH_FAILURES = Counter(
    "reco_trending_refresh_failures_total", "Trending refreshes that failed (lists kept)."
)
TRENDING_AGE = Gauge(
    "reco_trending_age_seconds", "Seconds since the trending lists were last refreshed."
)
