"""Where configuration values come from: the OS environment, then an optional `.env` file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

from onetake_config.errors import ConfigError

ENV_FILE_VARIABLE = "ONETAKE_ENV_FILE"
DEFAULT_ENV_FILE_NAME = ".env"


def find_env_file(start: Path) -> Path | None:
    """The nearest `.env` in `start` or a parent of it (the repo root when run from inside it)."""
    for directory in (start, *start.parents):
        candidate = directory / DEFAULT_ENV_FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_environment(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> dict[str, str]:
    """Merge the `.env` file under the OS environment: a variable set in both keeps the OS value.

    The file is `$ONETAKE_ENV_FILE` when set (it must exist), else the nearest `.env` upwards from
    the working directory. `os.environ` is not modified.
    """
    environ = dict(os.environ if environ is None else environ)
    explicit = environ.get(ENV_FILE_VARIABLE, "").strip()
    env_file: Path | None
    if explicit:
        env_file = Path(explicit)
        if not env_file.is_file():
            raise ConfigError(
                [f"{ENV_FILE_VARIABLE}={explicit!r}: expected the path of an existing file"]
            )
    else:
        env_file = find_env_file(cwd or Path.cwd())
    from_file: dict[str, str] = {}
    if env_file is not None:
        from_file = {
            key: value for key, value in dotenv_values(env_file).items() if value is not None
        }
    return {**from_file, **environ}
