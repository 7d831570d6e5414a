"""Which variables each service reads, learnt by letting its settings loader read a mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analytics_ingest.config import IngestSettings
from reco_service.config import RecoSettings

SETTINGS_LOADERS: dict[str, Callable[[dict[str, str]], Any]] = {
    "analytics_ingest": IngestSettings.from_environment,
    "reco_service": RecoSettings.from_environment,
}


class RecordingEnvironment(dict[str, str]):
    """A mapping that remembers every key asked for: the variables a loader understands."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        super().__init__(values or {})
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)


def variables_read(service: str) -> set[str]:
    environment = RecordingEnvironment()
    SETTINGS_LOADERS[service](environment)
    return environment.asked
