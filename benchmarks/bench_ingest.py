"""Ingest benchmark: products/s and events/s from files and through the REST API.

Same as ``shopmind bench ingest``; run ``python benchmarks/bench_ingest.py --help``.
"""

from __future__ import annotations

import sys

from shopmind.cli.main import app

if __name__ == "__main__":
    sys.exit(app(["bench", "ingest", *sys.argv[1:]]))
