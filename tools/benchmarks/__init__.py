"""Benchmarks that print figures; run them with ./pants run tools/benchmarks:<name>."""
