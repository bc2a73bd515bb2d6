"""Benchmarks and corpus runs: ``make bench`` (``python -m bench``). Not part of the tests."""
