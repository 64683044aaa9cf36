"""Benchmarks with reproducible commands (`make bench-search`, `make bench-rest`)."""
