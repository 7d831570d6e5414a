"""Real dependencies for tests and local stacks: a private ClickHouse server, a Core stand-in."""
