"""The events table both services share: schema, migrations, ClickHouse access and queries."""
