import pytest

from onetake_config.errors import ConfigError
from onetake_config.reader import EnvReader


def read_and_finish(values: dict[str, str], read: str) -> object:
    env = EnvReader(values)
    value = getattr(env, read)
    env.finish()
    return value


def test_unset_and_blank_variables_take_the_default() -> None:
    env = EnvReader({"B": "  "})
    assert env.integer("A", 5, 0, 10) == 5
    assert env.integer("B", 6, 0, 10) == 6
    env.finish()


@pytest.mark.parametrize(
    ("raw", "parsed"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("false", False)]
)
def test_booleans_accept_the_usual_spellings(raw: str, parsed: bool) -> None:
    env = EnvReader({"FLAG": raw})
    assert env.boolean("FLAG", not parsed) is parsed
    env.finish()


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("abc", lambda env: env.integer("X", 1, 0, 10)),
        ("11", lambda env: env.integer("X", 1, 0, 10)),
        ("0", lambda env: env.port("X", 1)),
        ("70000", lambda env: env.port("X", 1)),
        ("nan", lambda env: env.number("X", 1.0, 0.0, 5.0)),
        ("-1", lambda env: env.number("X", 1.0, 0.0, 5.0)),
        ("maybe", lambda env: env.boolean("X", True)),
        ("ftp://core", lambda env: env.http_url("X", "http://a")),
        ("localhost:8000", lambda env: env.http_url("X", "http://a")),
        ("loud", lambda env: env.choice("X", "info", ("info", "debug"))),
    ],
)
def test_malformed_value_is_an_error_naming_variable_value_and_expectation(
    raw: str, read: object
) -> None:
    env = EnvReader({"X": raw})
    read(env)  # type: ignore[operator]
    with pytest.raises(ConfigError) as raised:
        env.finish()
    message = str(raised.value)
    assert f"X={raw!r}" in message
    assert "expected" in message


def test_every_problem_is_reported_at_once() -> None:
    env = EnvReader({"A": "x", "B": "y"})
    env.integer("A", 1, 0, 9)
    env.port("B", 1)
    with pytest.raises(ConfigError) as raised:
        env.finish()
    assert [problem.split("=")[0] for problem in raised.value.problems] == ["A", "B"]


def test_secret_is_never_shown_in_repr_or_str() -> None:
    secret = EnvReader({"PASSWORD": "hunter2"}).secret("PASSWORD")
    assert secret.value == "hunter2"
    assert "hunter2" not in repr(secret)
    assert "hunter2" not in str(secret)
    assert "hunter2" not in repr(("wrapped", secret))


def test_url_loses_its_trailing_slash() -> None:
    assert EnvReader({"U": "http://core:8000/"}).http_url("U", "http://x") == "http://core:8000"
