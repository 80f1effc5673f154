"""Metrics and benchmark dataset loaders shared by capabilities."""
