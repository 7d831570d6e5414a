"""ClickHouse access behind a small protocol, so the same queries run on a server or in-process."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from clickhouse_driver import Client

from onetake_config.common import ClickHouseSettings
from onetake_events.schema import ServerFlavor


class ClickHouseSession(Protocol):
    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a statement; `%(name)s` placeholders are filled from params."""
        ...

    def insert_columns(
        self, table: str, columns: Sequence[str], data: Sequence[Sequence[Any]]
    ) -> None:
        """Insert one block, given column by column (data[i] holds columns[i])."""
        ...


# The driver logs a traceback for every refused connection; callers log failures once themselves.
logging.getLogger("clickhouse_driver.connection").setLevel(logging.ERROR)


class DriverSession:
    """clickhouse-driver over the native protocol. Blocking: call it from a worker thread."""

    def __init__(self, settings: ClickHouseSettings, timeout_sec: float = 10.0) -> None:
        self._client = Client(
            host=settings.host,
            port=settings.port,
            user=settings.user,
            password=settings.password.value,
            connect_timeout=min(timeout_sec, 5.0),
            send_receive_timeout=timeout_sec,
            sync_request_timeout=min(timeout_sec, 5.0),
            client_name="onetake",
        )

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        result: list[tuple[Any, ...]] = self._client.execute(sql, params)
        return result

    def insert_columns(
        self, table: str, columns: Sequence[str], data: Sequence[Sequence[Any]]
    ) -> None:
        # Rows always travel as the data argument: inline VALUES can hang the 18.16 server.
        self._client.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES", data, columnar=True
        )

    def disconnect(self) -> None:
        self._client.disconnect()


class ServerCheck:
    """A blocking "is the server usable?" check, with a session of its own (one thread each)."""

    def __init__(self, connect: Callable[[], ClickHouseSession]) -> None:
        self._connect = connect
        self._session: ClickHouseSession | None = None

    def __call__(self) -> None:
        if self._session is None:
            self._session = self._connect()
        self._session.query("SELECT 1")


def server_flavor(session: ClickHouseSession) -> ServerFlavor:
    return ServerFlavor.from_version_string(str(session.query("SELECT version()")[0][0]))
