"""Fixed calendar of the demo shop.

Every time in the demo is derived from these constants, never from the wall clock, so the same seed
always yields the same bytes. Times are whole seconds since the Unix epoch, in UTC.
"""

from __future__ import annotations

import time
from calendar import timegm

DAY = 86_400
HOUR = 3_600


def _epoch(text: str) -> int:
    return timegm(time.strptime(text, "%Y-%m-%d"))


CATALOG_START = _epoch("2023-01-01")
# Products all exist before the event log starts, so no event can see a product before it is listed.
CATALOG_END = _epoch("2025-01-01") - 1
HISTORY_START = _epoch("2024-01-01")
EVENTS_START = _epoch("2025-01-01")
EVENTS_END = _epoch("2025-07-01") - 1
CUSTOMERS_END = _epoch("2025-06-01")
NOW = _epoch("2025-07-01")


def iso(seconds: int) -> str:
    """ISO 8601 UTC with a 'Z', the form pydantic writes for aware UTC datetimes."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
