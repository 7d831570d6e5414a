"""Settings groups both services read with the same variable names."""

from __future__ import annotations

from dataclasses import dataclass

from onetake_config.reader import EnvReader, Secret


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    metrics_port: int  # 0 disables the Prometheus endpoint
    log_level: str
    shutdown_grace_sec: float
    dependency_check_sec: float  # a dependency unused this long gets a health check

    @classmethod
    def read(cls, env: EnvReader, default_port: int, default_metrics_port: int) -> ServerSettings:
        return cls(
            host=env.string("GRPC_HOST", "0.0.0.0"),
            port=env.port("GRPC_PORT", default_port),
            metrics_port=env.integer("METRICS_PORT", default_metrics_port, 0, 65535),
            log_level=env.choice(
                "LOG_LEVEL", "info", ("debug", "info", "warning", "error", "critical")
            ),
            shutdown_grace_sec=env.number("SHUTDOWN_GRACE_SEC", 10.0, 0.0, 300.0),
            dependency_check_sec=env.number("DEPENDENCY_CHECK_SEC", 10.0, 0.1, 3600.0),
        )


@dataclass(frozen=True)
class ClickHouseSettings:
    host: str
    port: int
    user: str
    password: Secret
    database: str

    @classmethod
    def read(cls, env: EnvReader) -> ClickHouseSettings:
        return cls(
            host=env.string("CLICKHOUSE_HOST", "localhost"),
            port=env.port("CLICKHOUSE_PORT", 9000),
            user=env.string("CLICKHOUSE_USER", "default"),
            password=env.secret("CLICKHOUSE_PASSWORD"),
            database=env.string("CLICKHOUSE_DATABASE", "onetake", max_length=64),
        )
