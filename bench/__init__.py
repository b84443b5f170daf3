"""Benchmarks: measured against real servers, written to docs/benchmarks.md (`make bench`)."""
