from onetake_testing.fixtures import clickhouse  # noqa: F401  (pytest fixture)
