"""Benchmarks and the matcher/router evaluation (`make bench`)."""
