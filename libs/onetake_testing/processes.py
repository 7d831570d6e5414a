"""Helpers for tests that run a service as a real child process."""

from __future__ import annotations

import os
import sys


def child_python_environment(**variables: str) -> dict[str, str]:
    """This process's environment plus a PYTHONPATH that finds the same code from any cwd."""
    pythonpath = os.pathsep.join(os.path.abspath(entry) for entry in sys.path if entry)
    environment = {**os.environ, "PYTHONPATH": pythonpath, **variables}
    environment.pop("ONETAKE_ENV_FILE", None)  # tests configure children explicitly
    return environment
