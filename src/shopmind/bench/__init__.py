"""Benchmarks behind ``shopmind bench …`` (see shared/BENCHMARKS.md for the contract)."""
