"""Analytics ingest: TrackEvent(s) over gRPC, validated, batched and written to ClickHouse."""
