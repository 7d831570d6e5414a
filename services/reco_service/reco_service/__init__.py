"""Recommendations: similar posts by tag from Core, then trending posts from ClickHouse."""
