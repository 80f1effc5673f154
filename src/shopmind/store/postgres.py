"""PostgreSQL backend (psycopg 3). ``postgresql://`` URLs are routed to the psycopg driver."""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine.url import make_url

from shopmind.store import tables


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str) -> sa.Engine:
    """A pooled engine with pre-ping, so a restarted server does not fail the next request."""
    return sa.create_engine(
        normalise_url(url),
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
    )


def upsert_rows(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], update_columns: list[str]
) -> None:
    """INSERT … ON CONFLICT (pk) DO UPDATE for the given columns."""
    stmt = pg_insert(table)
    pk = [c.name for c in table.primary_key.columns]
    stmt = stmt.on_conflict_do_update(
        index_elements=pk, set_={name: stmt.excluded[name] for name in update_columns}
    )
    conn.execute(stmt, rows)


def insert_events(conn: sa.Connection, rows: list[dict[str, Any]]) -> int:
    """Append event rows not stored yet (same id); returns how many.

    Looks the ids up first: an executemany's rowcount is not reliable through psycopg.
    """
    new = {row["id"]: row for row in rows}
    ids = list(new)
    for start in range(0, len(ids), 900):
        stmt = sa.select(tables.events.c.id).where(tables.events.c.id.in_(ids[start : start + 900]))
        for (seen,) in conn.execute(stmt):
            new.pop(seen)
    if new:
        conn.execute(sa.insert(tables.events), list(new.values()))
    return len(new)
