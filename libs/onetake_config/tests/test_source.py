from pathlib import Path

import pytest

from onetake_config.errors import ConfigError
from onetake_config.source import ENV_FILE_VARIABLE, load_environment


def write_env_file(directory: Path, text: str) -> Path:
    path = directory / ".env"
    path.write_text(text)
    return path


def test_env_file_value_is_used_when_os_environment_lacks_it(tmp_path: Path) -> None:
    write_env_file(tmp_path, "GRPC_PORT=6000\n")
    assert load_environment(environ={}, cwd=tmp_path)["GRPC_PORT"] == "6000"


def test_os_environment_wins_over_env_file(tmp_path: Path) -> None:
    write_env_file(tmp_path, "GRPC_PORT=6000\n")
    merged = load_environment(environ={"GRPC_PORT": "7000"}, cwd=tmp_path)
    assert merged["GRPC_PORT"] == "7000"


def test_variable_in_neither_is_absent_so_the_default_applies(tmp_path: Path) -> None:
    write_env_file(tmp_path, "OTHER=1\n")
    assert "GRPC_PORT" not in load_environment(environ={}, cwd=tmp_path)


def test_env_file_is_found_in_a_parent_directory(tmp_path: Path) -> None:
    write_env_file(tmp_path, "CORE_API_URL=http://core:8000\n")
    nested = tmp_path / "services" / "reco_service"
    nested.mkdir(parents=True)
    assert load_environment(environ={}, cwd=nested)["CORE_API_URL"] == "http://core:8000"


def test_env_file_named_by_variable_is_used(tmp_path: Path) -> None:
    custom = tmp_path / "staging.env"
    custom.write_text("BATCH_SIZE=42\n")
    merged = load_environment(environ={ENV_FILE_VARIABLE: str(custom)}, cwd=tmp_path / "x")
    assert merged["BATCH_SIZE"] == "42"


def test_missing_env_file_named_by_variable_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=ENV_FILE_VARIABLE):
        load_environment(environ={ENV_FILE_VARIABLE: str(tmp_path / "nope.env")}, cwd=tmp_path)


def test_no_env_file_anywhere_gives_the_os_environment(tmp_path: Path) -> None:
    assert load_environment(environ={"A": "1"}, cwd=tmp_path) == {"A": "1"}


def test_os_environment_is_not_modified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_env_file(tmp_path, "ONETAKE_TEST_ONLY_VARIABLE=1\n")
    monkeypatch.delenv("ONETAKE_TEST_ONLY_VARIABLE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_environment()["ONETAKE_TEST_ONLY_VARIABLE"] == "1"
    import os

    assert "ONETAKE_TEST_ONLY_VARIABLE" not in os.environ
