"""Entry point and composition root: read settings, wire the pipeline, serve until SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import UTC, datetime

import grpc

from analytics_ingest import metrics
from analytics_ingest.batcher import BatchSink, EventBatcher
from analytics_ingest.config import IngestSettings
from analytics_ingest.durability import CheckpointingSink, replay
from analytics_ingest.servicer import AnalyticsIngestServicer
from analytics_ingest.validation import EventRow
from analytics_ingest.wal import WriteAheadLog
from analytics_ingest.writer import ClickHouseEventWriter
from onetake_events.clickhouse import DriverSession, ServerCheck
from onetake_grpc.cli import service_main
from onetake_grpc.dependency import DependencyStatus
from onetake_grpc.runtime import GrpcService
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc

log = logging.getLogger(__name__)

SERVICE_NAME = analytics_pb2.DESCRIPTOR.services_by_name["AnalyticsIngest"].full_name

VARIABLES_HELP = """\
  GRPC_HOST (0.0.0.0), GRPC_PORT (50051), METRICS_PORT (9101, 0 = off), LOG_LEVEL (info),
  SHUTDOWN_GRACE_SEC (10), DEPENDENCY_CHECK_SEC (10), CLICKHOUSE_HOST (localhost),
  CLICKHOUSE_PORT (9000), CLICKHOUSE_USER (default), CLICKHOUSE_PASSWORD,
  CLICKHOUSE_DATABASE (onetake),
  BATCH_SIZE (1000), BATCH_INTERVAL_SEC (1.0), BUFFER_MAX_EVENTS (200000), BUFFER_MAX_MB (256),
  SHUTDOWN_FLUSH_TIMEOUT_SEC (30), EVENTS_TTL_DAYS (0 = keep forever),
  INGEST_WAL_ENABLED (true), INGEST_WAL_DIR (data/ingest-wal)
See README.md for details.
"""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def build_service(settings: IngestSettings) -> GrpcService:
    """The one place that wires the real adapters into the pipeline."""
    clickhouse = DependencyStatus(
        "clickhouse",
        ServerCheck(lambda: DriverSession(settings.clickhouse, timeout_sec=5.0)),
        idle_after_sec=settings.server.dependency_check_sec,
    )
    metrics.CLICKHOUSE_UP.set_function(lambda: float(clickhouse.healthy))
    writer = ClickHouseEventWriter(
        connect=lambda: DriverSession(settings.clickhouse),
        database=settings.clickhouse.database,
        ttl_days=settings.events_ttl_days,
        report_outcome=clickhouse.record,
    )
    wal = WriteAheadLog(settings.wal_dir) if settings.wal_dir is not None else None
    sink: BatchSink[EventRow] = writer if wal is None else CheckpointingSink(writer, wal)
    batcher: EventBatcher[EventRow] = EventBatcher(
        sink,
        max_batch_size=settings.batch_size,
        max_batch_interval_sec=settings.batch_interval_sec,
        max_buffered_events=settings.buffer_max_events,
        max_buffered_bytes=settings.buffer_max_bytes,
    )
    tasks: dict[str, asyncio.Task[None]] = {}

    async def start_pipeline() -> None:
        loop = asyncio.get_running_loop()
        tasks["batcher"] = loop.create_task(batcher.run())
        tasks["clickhouse_check"] = loop.create_task(clickhouse.watch())
        if wal is not None:
            recovered = await asyncio.to_thread(wal.open)
            tasks["wal"] = loop.create_task(wal.run())
            await replay(recovered, batcher, settings.batch_size)

    async def flush_remaining() -> None:
        tasks["clickhouse_check"].cancel()
        batcher.close()
        left = batcher.buffered_events
        log.info("flushing buffered events", extra={"events": left})
        try:
            await asyncio.wait_for(tasks["batcher"], settings.shutdown_flush_timeout_sec)
        except TimeoutError:
            fate = "kept in the write-ahead log for the next start" if wal else "lost"
            log.error(
                f"ClickHouse did not take the buffered events in time; they are {fate}",
                extra={"events": batcher.buffered_events},
            )
            raise
        finally:
            if wal is not None:
                await wal.close(tasks["wal"])
        log.info("flushed", extra={"events": left})

    def register(server: grpc.aio.Server) -> None:
        analytics_pb2_grpc.add_AnalyticsIngestServicer_to_server(
            AnalyticsIngestServicer(batcher, utc_now, wal), server
        )

    return GrpcService(
        name="analytics_ingest",
        service_names=[SERVICE_NAME],
        register=register,
        on_start=[start_pipeline],
        on_stop=[flush_remaining],
        readiness=batcher.has_room,
        dependencies={"clickhouse": lambda: clickhouse.healthy},
    )


def main(argv: list[str] | None = None) -> int:
    return service_main(
        prog="analytics_ingest",
        description="gRPC analytics ingest: TrackEvent(s) -> batches -> ClickHouse.",
        variables_help=VARIABLES_HELP,
        load_settings=IngestSettings.from_environment,
        build_service=build_service,
        argv=argv,
    )


if __name__ == "__main__":
    sys.exit(main())
