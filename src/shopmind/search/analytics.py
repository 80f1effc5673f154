"""Search analytics from events: top queries, zero-result queries, click-through per query.

A search counts as clicked when a ``select_item`` follows it in the same session within
`CLICK_WINDOW`, before that session's next search. Queries are compared case-folded and trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from shopmind.store import Store
from shopmind.store.queries import search_event_rows

CLICK_WINDOW = timedelta(minutes=30)


@dataclass
class QueryStats:
    query: str
    searches: int = 0
    zero_results: int = 0
    clicked: int = 0

    @property
    def ctr(self) -> float:
        return self.clicked / self.searches if self.searches else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "searches": self.searches,
            "zero_results": self.zero_results,
            "clicked": self.clicked,
            "ctr": round(self.ctr, 4),
        }


@dataclass
class SearchAnalytics:
    since: datetime
    searches: int
    queries: list[QueryStats] = field(default_factory=list)

    def to_dict(self, limit: int = 50) -> dict[str, Any]:
        top = sorted(self.queries, key=lambda q: (-q.searches, q.query))[:limit]
        zero = [q for q in self.queries if q.zero_results]
        zero.sort(key=lambda q: (-q.zero_results, q.query))
        clicked = sum(q.clicked for q in self.queries)
        return {
            "since": self.since.isoformat(),
            "searches": self.searches,
            "ctr": round(clicked / self.searches, 4) if self.searches else 0.0,
            "top_queries": [q.to_dict() for q in top],
            "zero_result_queries": [q.to_dict() for q in zero[:limit]],
        }


def analytics(store: Store, days: int = 30, *, now: datetime | None = None) -> SearchAnalytics:
    """Figures over the ``days`` before ``now`` (default: the current time)."""
    if not 1 <= days <= 3650:
        raise ValueError(f"days must be in 1..3650, got {days}")
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    stats: dict[str, QueryStats] = {}
    open_search: dict[str, tuple[QueryStats, datetime]] = {}  # session -> last unclicked search
    total = 0
    for name, session, ts, query, props in _events(store, since):
        if name == "search" and query:
            total += 1
            key = " ".join(str(query).split()).casefold()
            q = stats.setdefault(key, QueryStats(key))
            q.searches += 1
            q.zero_results += _results(props) == 0
            if session:
                open_search[session] = (q, ts)
        elif session in open_search:
            q, when = open_search.pop(session)
            q.clicked += ts - when <= CLICK_WINDOW
    return SearchAnalytics(since, total, list(stats.values()))


def _results(props: Any) -> int | None:
    value = props.get("results") if isinstance(props, dict) else None
    return int(value) if isinstance(value, int | float) else None


def _events(store: Store, since: datetime) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in search_event_rows(store, since)]
