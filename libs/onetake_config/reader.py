"""Typed, validated reads of configuration variables, collecting every problem before failing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from onetake_config.errors import ConfigError

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Secret:
    """A value that must never appear in logs or error messages."""

    value: str

    def __repr__(self) -> str:
        return "Secret('***')" if self.value else "Secret('')"

    __str__ = __repr__


class EnvReader:
    """Reads variables from a merged environment; call `finish()` to raise all problems at once."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values
        self._problems: list[str] = []

    def _raw(self, name: str) -> str | None:
        value = self._values.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def _problem(self, name: str, raw: str, expected: str, default: T) -> T:
        self._problems.append(f"{name}={raw!r}: expected {expected}")
        return default

    def string(self, name: str, default: str, max_length: int = 1024) -> str:
        raw = self._raw(name)
        if raw is None:
            return default
        if len(raw) > max_length:
            return self._problem(
                name, raw[:40] + "...", f"at most {max_length} characters", default
            )
        return raw

    def secret(self, name: str, default: str = "") -> Secret:
        # Secrets keep surrounding whitespace out of the error path: they are never echoed.
        value = self._values.get(name)
        return Secret(default if value is None else value)

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        expected = f"an integer from {minimum} to {maximum}"
        try:
            value = int(raw)
        except ValueError:
            return self._problem(name, raw, expected, default)
        if not minimum <= value <= maximum:
            return self._problem(name, raw, expected, default)
        return value

    def port(self, name: str, default: int) -> int:
        return self.integer(name, default, 1, 65535)

    def number(self, name: str, default: float, minimum: float, maximum: float) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        expected = f"a number from {minimum:g} to {maximum:g}"
        try:
            value = float(raw)
        except ValueError:
            return self._problem(name, raw, expected, default)
        if not minimum <= value <= maximum:  # also rejects nan
            return self._problem(name, raw, expected, default)
        return value

    def boolean(self, name: str, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        return self._problem(name, raw, "one of true/false/1/0/yes/no/on/off", default)

    def http_url(self, name: str, default: str) -> str:
        raw = self._raw(name)
        if raw is None:
            return default
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return self._problem(name, raw, "an http:// or https:// URL with a host", default)
        return raw.rstrip("/")

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.lower() not in choices:
            return self._problem(name, raw, "one of " + "/".join(choices), default)
        return raw.lower()

    def finish(self) -> None:
        """Raise one ConfigError naming every malformed variable read so far."""
        if self._problems:
            raise ConfigError(list(self._problems))
