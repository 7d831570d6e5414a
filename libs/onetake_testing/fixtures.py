"""Pytest fixtures over the real parts: import them into a conftest.py to use them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from onetake_testing.clickhouse_server import PrivateClickHouse


@pytest.fixture(scope="module")
def clickhouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateClickHouse]:
    """A private ClickHouse server for the test module, on free loopback ports."""
    server = PrivateClickHouse(Path(tmp_path_factory.mktemp("clickhouse")))
    server.start()
    yield server
    server.stop()
