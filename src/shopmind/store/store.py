"""The relational store: one class over SQLAlchemy Core, the dialect-specific bits in backends."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from shopmind.core.errors import InputError
from shopmind.core.schemas import Event, Order
from shopmind.store import tables
from shopmind.store.rows import SPECS, event_from_row, event_row, order_line_rows

CHUNK = 500  # ids per IN (...) query: well under SQLite's bound-parameter limit
ENTITY_KINDS = ("products", "customers", "events", "orders", "reviews", "documents")


@dataclass
class WriteCounts:
    """What a write did, per record: inserted, updated (content changed) or unchanged."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: WriteCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def check_kind(kind: str) -> None:
    if kind not in ENTITY_KINDS:
        raise InputError(f"unknown entity kind {kind!r}; expected one of {', '.join(ENTITY_KINDS)}")


class Store:
    """Products, customers, events, orders, reviews and documents in SQLite or PostgreSQL.

    Writes go through ``write()`` (one transaction, all or nothing); every method that writes
    takes an optional connection so several writes can share one transaction.
    """

    def __init__(self, url: str, engine: sa.Engine, backend: ModuleType) -> None:
        self.url = url
        self.engine = engine
        self._backend = backend

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A write transaction: committed if the block ends normally, rolled back on error."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(shopmind_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _maybe(self, conn: sa.Connection | None) -> Iterator[sa.Connection]:
        if conn is not None:
            yield conn
        else:
            with self.write() as own:
                yield own

    def upsert_raw(
        self, conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], update: list[str]
    ) -> None:
        """INSERT … ON CONFLICT (primary key) DO UPDATE ``update`` columns, dialect-aware."""
        if rows:
            self._backend.upsert_rows(conn, table, rows, update)

    # -- entities -------------------------------------------------------------------------

    def upsert(
        self, kind: str, items: Sequence[BaseModel], conn: sa.Connection | None = None
    ) -> WriteCounts:
        """Insert new records, update changed ones, leave identical ones untouched."""
        if kind == "events":
            return self.add_events(items, conn)  # type: ignore[arg-type]
        spec = SPECS[kind]
        rows = [spec.to_row(item) for item in items]
        _reject_duplicate_ids(rows)
        counts = WriteCounts()
        with self._maybe(conn) as c:
            for start in range(0, len(rows), 2000):
                batch = rows[start : start + 2000]
                written = self._upsert_batch(c, spec.table, batch, counts)
                if kind == "orders" and written:
                    models = items[start : start + 2000]
                    self._replace_order_lines(c, {r["id"] for r in written}, models)
        return counts

    def _upsert_batch(
        self, conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], counts: WriteCounts
    ) -> list[dict[str, Any]]:
        """Write new and changed rows, add to ``counts``, return the rows written."""
        existing = self._hashes(conn, table, [r["id"] for r in rows])
        todo = [r for r in rows if existing.get(r["id"]) != r["content_hash"]]
        counts.inserted += sum(1 for r in todo if r["id"] not in existing)
        counts.updated += sum(1 for r in todo if r["id"] in existing)
        counts.unchanged += len(rows) - len(todo)
        if todo:
            keep = {"id", "created_at"}
            columns = [c.name for c in table.columns if c.name not in keep]
            self._backend.upsert_rows(conn, table, todo, columns)
        return todo

    def _replace_order_lines(
        self, conn: sa.Connection, ids: set[str], orders: Sequence[BaseModel]
    ) -> None:
        for batch in chunks(sorted(ids)):
            conn.execute(
                sa.delete(tables.order_lines).where(tables.order_lines.c.order_id.in_(batch))
            )
        lines = [
            line
            for order in orders
            if isinstance(order, Order) and order.id in ids
            for line in order_line_rows(order)
        ]
        if lines:
            conn.execute(sa.insert(tables.order_lines), lines)

    def _hashes(self, conn: sa.Connection, table: sa.Table, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for batch in chunks(ids):
            stmt = sa.select(table.c.id, table.c.content_hash).where(table.c.id.in_(batch))
            found.update({row.id: row.content_hash for row in conn.execute(stmt)})
        return found

    def add_events(self, events: Sequence[Event], conn: sa.Connection | None = None) -> WriteCounts:
        """Append events; an event already stored (same id) is counted unchanged, not duplicated."""
        rows: dict[str, dict[str, Any]] = {}
        for event in events:
            row = event_row(event)
            rows.setdefault(row["id"], row)
        with self._maybe(conn) as c:
            inserted = self._backend.insert_events(c, list(rows.values())) if rows else 0
        return WriteCounts(inserted=inserted, unchanged=len(events) - inserted)

    def get(self, kind: str, ids: Iterable[str]) -> dict[str, BaseModel]:
        """Records by id; ids that do not exist are simply absent from the result."""
        check_kind(kind)
        ids = list(ids)
        out: dict[str, BaseModel] = {}
        with self.read() as conn:
            for batch in chunks(ids):
                if kind == "events":
                    stmt = sa.select(tables.events).where(tables.events.c.id.in_(batch))
                    out.update({row.id: event_from_row(row) for row in conn.execute(stmt)})
                    continue
                spec = SPECS[kind]
                stmt = sa.select(spec.table.c.id, spec.table.c.data).where(
                    spec.table.c.id.in_(batch)
                )
                out.update(
                    {row.id: spec.model.model_validate(row.data) for row in conn.execute(stmt)}
                )
        return out

    def iter_models(self, kind: str, batch_size: int = 1000) -> Iterator[BaseModel]:
        """Every record of a kind, in id order, read in pages (constant memory)."""
        check_kind(kind)
        table = tables.ENTITY_TABLES[kind]
        last: str | None = None
        while True:
            stmt = sa.select(table).order_by(table.c.id).limit(batch_size)
            if last is not None:
                stmt = stmt.where(table.c.id > last)
            with self.read() as conn:
                page = list(conn.execute(stmt))
            if not page:
                return
            for row in page:
                if kind == "events":
                    yield event_from_row(row)
                else:
                    yield SPECS[kind].model.model_validate(row.data)
            last = page[-1].id

    def list_ids(self, kind: str, *, limit: int = 100, after: str | None = None) -> list[str]:
        check_kind(kind)
        table = tables.ENTITY_TABLES[kind]
        stmt = sa.select(table.c.id).order_by(table.c.id).limit(limit)
        if after is not None:
            stmt = stmt.where(table.c.id > after)
        with self.read() as conn:
            return [row.id for row in conn.execute(stmt)]

    def delete(self, kind: str, ids: Iterable[str], conn: sa.Connection | None = None) -> int:
        """Delete records by id (order lines go with their order). Customers: use erasure."""
        check_kind(kind)
        if kind == "customers":
            raise InputError("customers are removed by erasure: use shopmind.store.erase_customer")
        table = tables.ENTITY_TABLES[kind]
        deleted = 0
        with self._maybe(conn) as c:
            for batch in chunks(list(ids)):
                deleted += c.execute(sa.delete(table).where(table.c.id.in_(batch))).rowcount
        return deleted

    def stats(self) -> dict[str, int]:
        """The number of rows of every entity, plus order lines and products awaiting reindex."""
        counts: dict[str, int] = {}
        with self.read() as conn:
            for kind in ENTITY_KINDS:
                table = tables.ENTITY_TABLES[kind]
                counts[kind] = conn.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
            counts["order_lines"] = conn.execute(
                sa.select(sa.func.count()).select_from(tables.order_lines)
            ).scalar_one()
            counts["dirty_products"] = conn.execute(
                sa.select(sa.func.count())
                .select_from(tables.products)
                .where(tables.products.c.dirty)
            ).scalar_one()
        return counts

    def record_ingest_run(self, conn: sa.Connection, values: dict[str, Any]) -> None:
        conn.execute(sa.insert(tables.ingest_runs), values)


def _reject_duplicate_ids(rows: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for n, row in enumerate(rows):
        if row["id"] in seen:
            raise InputError(f"item {n}: duplicate id {row['id']!r} in one batch")
        seen.add(row["id"])
