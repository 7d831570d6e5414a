"""A real HTTP server implementing the Core API contract (contracts/http/core-api.md).

Serves `GET /api/posts?tag=...` from an in-memory catalog. Tests switch it to slow, failing or
down; the local stack serves a demo catalog with it. Records every request it gets.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class SeenRequest:
    path: str
    tag: str
    headers: dict[str, str]


@dataclass
class CoreBehaviour:
    delay_sec: float = 0.0  # answer this late
    status: int = 200  # answer with this status (a 5xx simulates a failing Core)


@dataclass
class CoreStandIn:
    """`catalog` maps post id -> its tags. Start with `start()`; `url` is the CORE_API_URL."""

    catalog: Mapping[str, Sequence[str]]
    host: str = "127.0.0.1"
    port: int = 0
    behaviour: CoreBehaviour = field(default_factory=CoreBehaviour)
    requests: list[SeenRequest] = field(default_factory=list)
    most_in_flight: int = 0  # the most requests it was answering at one time
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def posts_for(self, tag: str) -> list[dict[str, object]]:
        return [
            {"id": post_id, "tags": list(tags)}
            for post_id, tags in sorted(self.catalog.items())
            if tag in tags
        ]

    def start(self) -> CoreStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                tag = parse_qs(parts.query).get("tag", [""])[0]
                with standin._lock:
                    standin.requests.append(
                        SeenRequest(parts.path, tag, dict(self.headers.items()))
                    )
                    standin._in_flight += 1
                    standin.most_in_flight = max(standin.most_in_flight, standin._in_flight)
                try:
                    self._answer(parts.path, tag)
                finally:
                    with standin._lock:
                        standin._in_flight -= 1

            def _answer(self, path: str, tag: str) -> None:
                if standin.behaviour.delay_sec:
                    time.sleep(standin.behaviour.delay_sec)
                if path != "/api/posts":
                    self._reply(404, {"error": "not found"})
                elif standin.behaviour.status != 200:
                    self._reply(standin.behaviour.status, {"error": "failing on purpose"})
                elif not tag:
                    self._reply(400, {"error": "tag is required"})
                else:
                    self._reply(200, {"posts": standin.posts_for(tag)})

            def _reply(self, status: int, body: object) -> None:
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to do

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the listening socket: clients get "connection refused", as from a dead Core."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
