"""Benchmarks: each scenario measured beside a baseline run in the same process (see BENCHMARKS.md)."""
