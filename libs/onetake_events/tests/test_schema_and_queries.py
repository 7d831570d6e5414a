from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from onetake_events.clickhouse import ClickHouseSession, DriverSession, server_flavor
from onetake_events.migrations import MIGRATIONS, ensure_schema
from onetake_events.queries import count_distinct_events, most_viewed_posts, posts_viewed_by_user
from onetake_events.schema import EVENTS_TABLE
from onetake_events.tests.chdb_session import ChdbSession
from onetake_testing.clickhouse_server import PrivateClickHouse
from onetake_testing.events import insert_post_views
from onetake_testing.events import utc_now as now

DB = "onetake"


@pytest.fixture(scope="module", params=["chdb-modern", "server-18.16"])
def session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClickHouseSession]:
    """Each test runs once per engine: the same DDL choice and queries must work on both."""
    if request.param == "chdb-modern":
        chdb = ChdbSession(str(tmp_path_factory.mktemp("chdb")))
        ensure_schema(chdb, DB, ttl_days=90)
        yield chdb
        chdb.close()
    else:
        server = PrivateClickHouse(tmp_path_factory.mktemp("clickhouse"))
        server.start()
        driver = DriverSession(server.settings(DB))
        ensure_schema(driver, DB, ttl_days=90)
        yield driver
        driver.disconnect()
        server.stop()


def insert_views(session: ClickHouseSession, views: list[tuple[str, str, str, datetime]]) -> None:
    insert_post_views(session, DB, views)


def test_ddl_matches_the_server_generation(session: ClickHouseSession) -> None:
    columns = dict(session.query(f"SELECT name, type FROM system.columns WHERE database = '{DB}'"
                                 f" AND table = '{EVENTS_TABLE}'"))  # fmt: skip
    create = session.query(f"SHOW CREATE TABLE {DB}.{EVENTS_TABLE}")[0][0]
    assert "ReplacingMergeTree" in create
    if server_flavor(session).modern:
        assert columns["ts"] == "DateTime64(3, 'UTC')"
        assert columns["event_name"] == "LowCardinality(String)"
        assert "TTL" in create
    else:
        assert columns["ts"] == "DateTime('UTC')"
        assert columns["event_name"] == "String"


def test_migrations_are_recorded_and_rerunning_them_is_harmless(session: ClickHouseSession) -> None:
    assert ensure_schema(session, DB, ttl_days=90) == MIGRATIONS[-1].version
    versions = session.query(f"SELECT version FROM {DB}.schema_migrations ORDER BY version")
    assert [row[0] for row in versions] == [m.version for m in MIGRATIONS]


def test_ts_keeps_milliseconds_on_modern_servers_and_seconds_on_18_16(
    session: ClickHouseSession,
) -> None:
    ts = now().replace(microsecond=123000) - timedelta(hours=1)
    insert_views(session, [("ms-1", "u-ms", "p-ms", ts)])
    stored = session.query(f"SELECT toString(ts) FROM {DB}.{EVENTS_TABLE} WHERE event_id = 'ms-1'")
    whole_seconds = ts.strftime("%Y-%m-%d %H:%M:%S")
    expected = whole_seconds + ".123" if server_flavor(session).modern else whole_seconds
    assert stored == [(expected,)]


def test_counts_and_trending_ignore_duplicate_event_ids(session: ClickHouseSession) -> None:
    t = now()
    insert_views(
        session,
        [
            ("a1", "u1", "post-a", t - timedelta(hours=1)),
            ("a2", "u2", "post-a", t - timedelta(hours=2)),
            ("a3", "u3", "post-a", t - timedelta(hours=48)),
            ("b1", "u1", "post-b", t - timedelta(hours=3)),
            ("b2", "u2", "post-b", t - timedelta(hours=30)),
            ("b3", "u3", "post-b", t - timedelta(hours=40)),
            ("b4", "u4", "post-b", t - timedelta(hours=50)),
            ("c1", "u1", "post-c", t - timedelta(hours=100)),  # outside both windows
        ],
    )
    # A retried insert stored the same events again.
    insert_views(session, [("a1", "u1", "post-a", t - timedelta(hours=1))] * 3)
    assert count_distinct_events(session, DB, "post_view") >= 8
    day = dict(most_viewed_posts(session, DB, 24, 10))
    three_days = dict(most_viewed_posts(session, DB, 72, 10))
    assert (day["post-a"], day["post-b"]) == (2, 1)
    assert (three_days["post-a"], three_days["post-b"]) == (3, 4)
    assert "post-c" not in three_days


def test_ties_are_ordered_by_post_id(session: ClickHouseSession) -> None:
    t = now() - timedelta(hours=5)
    insert_views(session, [("t-z", "u", "tie-z", t), ("t-y", "u", "tie-y", t)])
    ranked = [post for post, views in most_viewed_posts(session, DB, 24, 100) if views == 1]
    assert ranked.index("tie-y") < ranked.index("tie-z")


def test_posts_viewed_by_user_respects_the_window(session: ClickHouseSession) -> None:
    t = now()
    insert_views(
        session,
        [("s1", "seen-user", "p1", t - timedelta(hours=1)),
         ("s2", "seen-user", "p2", t - timedelta(hours=200))],
    )  # fmt: skip
    assert posts_viewed_by_user(session, DB, "seen-user", 72, 1000) == {"p1"}
