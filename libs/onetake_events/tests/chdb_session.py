"""A ClickHouseSession over chdb, the in-process modern ClickHouse engine (tests only)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from chdb import session as chdb_session


def literal(value: Any) -> str:
    """SQL literal for a parameter, as clickhouse-driver renders client-side parameters."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return "'" + value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "'"
    if isinstance(value, list | tuple | set):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


class ChdbSession:
    def __init__(self, path: str) -> None:
        self._session = chdb_session.Session(path)

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        if params:
            sql = sql % {key: literal(value) for key, value in params.items()}
        result = self._session.query(sql, "JSONCompact")
        text = result.data() if hasattr(result, "data") else str(result)
        if not text.strip():
            return []  # DDL and inserts return nothing
        return [tuple(row) for row in json.loads(text)["data"]]

    def insert_columns(
        self, table: str, columns: Sequence[str], data: Sequence[Sequence[Any]]
    ) -> None:
        rows = zip(*data, strict=True)
        values = ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)
        self._session.query(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}")

    def close(self) -> None:
        self._session.close()
