"""A private ClickHouse server on free loopback ports under a temporary folder.

Runs Debian's `clickhouse-server` (or $CLICKHOUSE_SERVER_BIN) as a plain child process, so it dies
with the test process even when the test runner kills it. Tests can stop, kill and restart it to
exercise outages; its data survives restarts.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from clickhouse_driver import Client

from onetake_config.common import ClickHouseSettings
from onetake_config.reader import Secret

CONFIG_XML = """<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>{dir}/log/server.log</log>
        <errorlog>{dir}/log/error.log</errorlog>
        <console>0</console>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>{tcp_port}</tcp_port>
    <http_port>{http_port}</http_port>
    <path>{dir}/data/</path>
    <tmp_path>{dir}/tmp/</tmp_path>
    <user_files_path>{dir}/user_files/</user_files_path>
    <format_schema_path>{dir}/format_schemas/</format_schema_path>
    <users_config>{dir}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>67108864</mark_cache_size>
</yandex>
"""

USERS_XML = """<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas><default></default></quotas>
</yandex>
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_binary() -> str:
    candidate = os.environ.get("CLICKHOUSE_SERVER_BIN") or shutil.which("clickhouse-server")
    for path in (candidate, "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"):
        if path and Path(path).exists():
            return path
    raise RuntimeError(
        "clickhouse-server not found: install Debian's clickhouse-server package "
        "(`apt-get install clickhouse-server`) or set CLICKHOUSE_SERVER_BIN"
    )


class PrivateClickHouse:
    """One server process; `start()` binds fixed ports chosen once, so restarts keep the address."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.host = "127.0.0.1"
        self.port = free_port()
        self.http_port = free_port()
        self._process: subprocess.Popen[bytes] | None = None
        for sub in ("log", "data", "tmp", "user_files", "format_schemas"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        (directory / "config.xml").write_text(
            CONFIG_XML.format(dir=directory, tcp_port=self.port, http_port=self.http_port)
        )
        (directory / "users.xml").write_text(USERS_XML)

    def settings(self, database: str = "default") -> ClickHouseSettings:
        """Connection settings as the services read them from the environment."""
        return ClickHouseSettings(self.host, self.port, "default", Secret(""), database)

    def service_environment(self, database: str) -> dict[str, str]:
        """The variables that point a service at this server."""
        return {
            "CLICKHOUSE_HOST": self.host,
            "CLICKHOUSE_PORT": str(self.port),
            "CLICKHOUSE_DATABASE": database,
        }

    def client(self, **settings: object) -> Client:
        return Client(host=self.host, port=self.port, connect_timeout=2, settings=settings)

    def start(self, timeout: float = 30.0) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._process = subprocess.Popen(
            [server_binary(), f"--config-file={self.directory / 'config.xml'}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                log = (self.directory / "log" / "error.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"clickhouse-server exited at start:\n{log}")
            try:
                self.client().execute("SELECT 1")
                return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError(f"clickhouse-server did not answer on port {self.port} in {timeout}s")

    def kill(self) -> None:
        """Stop abruptly (SIGKILL), as a crash or a network cut looks to clients."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=30)
        self._process = None

    def stop(self) -> None:
        self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()
