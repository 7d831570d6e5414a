"""Running a service as a real child process, as tests, benchmarks and the local stack do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any


def child_python_environment(**variables: str) -> dict[str, str]:
    """This process's environment plus a PYTHONPATH that finds the same code from any cwd."""
    pythonpath = os.pathsep.join(os.path.abspath(entry) for entry in sys.path if entry)
    environment = {**os.environ, "PYTHONPATH": pythonpath, **variables}
    environment.pop("ONETAKE_ENV_FILE", None)  # children are configured explicitly
    return environment


def start_service_process(
    module: str,
    grpc_port: int,
    cwd: Path | str,
    variables: Mapping[str, str],
    stdout: IO[Any] | int | None = None,
    stderr: IO[Any] | int | None = None,
) -> subprocess.Popen[str]:
    """`python -m module` serving gRPC on 127.0.0.1:grpc_port, metrics off, plus `variables`.

    `cwd` should hold no `.env`, so only the given variables configure the service.
    """
    defaults = {"GRPC_HOST": "127.0.0.1", "METRICS_PORT": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", module],
        env=child_python_environment(**{**defaults, **variables, "GRPC_PORT": str(grpc_port)}),
        cwd=cwd,
        stdout=stdout,
        stderr=stderr,
        text=True,
    )


def wait_for_serving_log(process: subprocess.Popen[str], timeout_sec: float = 30.0) -> int:
    """Read the child's JSON log (stderr) until the runtime's "serving" line; return the port."""
    assert process.stderr is not None, "start the process with stderr=subprocess.PIPE"
    seen: list[str] = []
    deadline = time.monotonic() + timeout_sec
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("msg") == "serving":
                return int(record["address"].rsplit(":", 1)[1])
    raise AssertionError("the service never logged that it was serving:\n" + "".join(seen))
