"""The command-line client against the real services (dependencies away: they still answer)."""

import asyncio
import tempfile

import pytest

from analytics_ingest.config import IngestSettings
from analytics_ingest.main import build_service as build_ingest
from onetake_testing.clickhouse_server import free_port
from onetake_testing.grpc_serving import serving
from onetake_tools.cli import main
from reco_service.config import RecoSettings
from reco_service.main import build_service as build_reco

NOWHERE = {
    "CLICKHOUSE_PORT": str(free_port()),
    "CORE_API_URL": f"http://127.0.0.1:{free_port()}",
    "SHUTDOWN_FLUSH_TIMEOUT_SEC": "0.2",
    "SHUTDOWN_GRACE_SEC": "0.2",
}


def run_cli_against_ingest(*args: str) -> int:
    settings = IngestSettings.from_environment(
        {**NOWHERE, "INGEST_WAL_DIR": tempfile.mkdtemp(prefix="cli-wal-")}
    )

    async def scenario() -> int:
        async with serving(build_ingest(settings), settings.server) as served:
            address = f"127.0.0.1:{served.server.port}"
            return await asyncio.to_thread(main, [*args, "--address", address])

    return asyncio.run(scenario())


def run_cli_against_reco(*args: str) -> int:
    settings = RecoSettings.from_environment(NOWHERE)

    async def scenario() -> int:
        async with serving(build_reco(settings), settings.server) as served:
            address = f"127.0.0.1:{served.server.port}"
            return await asyncio.to_thread(main, [*args, "--address", address])

    return asyncio.run(scenario())


def test_track_reports_the_accepted_event(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli_against_ingest("track", "--entity-id", "post-7", "--event-id", "e-1") == 0
    assert capsys.readouterr().out.strip() == "accepted post_view e-1 (post-7)"


def test_track_shows_the_field_a_bad_event_got_wrong(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli_against_ingest("track", "--props", "[1]") == 1
    assert "INVALID_ARGUMENT: props_json:" in capsys.readouterr().err


def test_recommend_prints_a_table_even_when_empty(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli_against_reco("recommend", "--tags", "a,b") == 0
    assert "(no recommendations)" in capsys.readouterr().out


def test_health_tells_which_dependency_is_down(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli_against_reco("health") == 0
    assert capsys.readouterr().out.endswith("(server): SERVING\n")
    assert run_cli_against_reco("health", "--service", "dependency/clickhouse") == 1
    assert capsys.readouterr().out.endswith("dependency/clickhouse: NOT_SERVING\n")


def test_health_tells_an_unknown_name_from_a_down_dependency(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_cli_against_reco("health", "--service", "dependency/nonsense") == 1
    assert capsys.readouterr().out.endswith("dependency/nonsense: UNKNOWN_SERVICE\n")


def test_health_says_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    nothing_there = f"127.0.0.1:{free_port()}"
    assert main(["--timeout", "1", "health", "--address", nothing_there]) == 1
    assert capsys.readouterr().out == f"{nothing_there} (server): UNREACHABLE\n"
