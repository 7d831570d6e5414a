"""Prometheus metrics of the ingest pipeline."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_ACCEPTED = Counter("ingest_events_accepted_total", "Events accepted for storage.")
EVENTS_REJECTED = Counter(
    "ingest_events_rejected_total",
    "Events refused: reason is the invalid field, 'buffer_full' or 'shutting_down'.",
    ["reason"],
)
BUFFERED_EVENTS = Gauge("ingest_buffer_events", "Events accepted but not yet stored.")
BUFFERED_BYTES = Gauge("ingest_buffer_bytes", "Approximate bytes held by buffered events.")
BATCHES_WRITTEN = Counter("ingest_batches_written_total", "Batches stored in ClickHouse.")
ROWS_WRITTEN = Counter("ingest_rows_written_total", "Events stored in ClickHouse.")
INSERT_SECONDS = Histogram(
    "ingest_insert_seconds",
    "Duration of successful ClickHouse inserts.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
INSERT_RETRIES = Counter(
    "ingest_insert_retries_total", "Failed insert attempts that will be retried.", ["error"]
)
CLICKHOUSE_UP = Gauge(
    "ingest_clickhouse_up", "1 if the last ClickHouse insert (or check, while idle) succeeded."
)
WAL_WRITE_SECONDS = Histogram(
    "ingest_wal_write_seconds",
    "Duration of one group commit (write + fsync) to the write-ahead log.",
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
)
WAL_UNSTORED_EVENTS = Gauge(
    "ingest_wal_unstored_events", "Events in the write-ahead log that ClickHouse has not stored."
)
