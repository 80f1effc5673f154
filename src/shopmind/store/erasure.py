"""Right to erasure: remove a customer's personal data, keep what tax law needs, anonymised."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from shopmind.core.errors import NotFoundError
from shopmind.core.schemas import now_utc
from shopmind.store import tables
from shopmind.store.assistant import erase_assistant_data
from shopmind.store.rows import content_hash
from shopmind.store.store import Store, chunks

# Fields removed from kept records. Orders stay (amounts, dates, lines are tax records).
_ORDER_PERSONAL = ("customer_id", "email", "shipping_address")
_REVIEW_PERSONAL = ("customer_id", "author_name")


def subject_hash(customer_id: str) -> str:
    """The hash under which an erased customer is remembered, so their data is not re-ingested."""
    return hashlib.sha256(b"shopmind-erasure:" + customer_id.encode()).hexdigest()


def erase_customer(store: Store, customer_id: str) -> dict[str, Any]:
    """Erase one customer in a single transaction and report what was removed or anonymised.

    Deletes the customer record and every event of theirs, including the anonymous events of
    sessions they were identified in, and their assistant conversations and hand-off tickets;
    unlinks their reviews and orders and strips personal fields.
    """
    with store.write() as conn:
        report = {
            "customer_id": customer_id,
            "customers_deleted": _delete_customer(conn, customer_id),
            "events_deleted": _delete_events(conn, customer_id),
            "reviews_anonymised": _anonymise(conn, tables.reviews, customer_id, _REVIEW_PERSONAL),
            "orders_anonymised": _anonymise(conn, tables.orders, customer_id, _ORDER_PERSONAL),
            **erase_assistant_data(conn, customer_id),
        }
        if not any(v for k, v in report.items() if k != "customer_id"):
            raise NotFoundError("customer", customer_id)
        conn.execute(
            sa.insert(tables.erasures).values(
                subject_hash=subject_hash(customer_id),
                erased_at=now_utc(),
                report={k: v for k, v in report.items() if k != "customer_id"},
            )
        )
    return report


def erased_among(store: Store, customer_ids: set[str], conn: sa.Connection) -> set[str]:
    """The ids in ``customer_ids`` that belong to erased customers."""
    if (
        not customer_ids
        or conn.execute(sa.select(tables.erasures.c.subject_hash).limit(1)).first() is None
    ):
        return set()  # the common case: nobody was ever erased, so skip hashing every id
    by_hash = {subject_hash(cid): cid for cid in customer_ids}
    found: set[str] = set()
    for batch in chunks(list(by_hash)):
        stmt = sa.select(tables.erasures.c.subject_hash).where(
            tables.erasures.c.subject_hash.in_(batch)
        )
        found.update(by_hash[row.subject_hash] for row in conn.execute(stmt))
    return found


def _delete_customer(conn: sa.Connection, customer_id: str) -> int:
    stmt = sa.delete(tables.customers).where(tables.customers.c.id == customer_id)
    return conn.execute(stmt).rowcount


def _delete_events(conn: sa.Connection, customer_id: str) -> int:
    ev = tables.events
    # Read the sessions first: a DELETE whose subquery reads the same table is not portable.
    sessions = sa.select(ev.c.session_id).where(
        ev.c.customer_id == customer_id, ev.c.session_id.is_not(None)
    )
    session_ids = sorted({row.session_id for row in conn.execute(sessions.distinct())})
    deleted = conn.execute(sa.delete(ev).where(ev.c.customer_id == customer_id)).rowcount
    for batch in chunks(session_ids):
        deleted += conn.execute(sa.delete(ev).where(ev.c.session_id.in_(batch))).rowcount
    return deleted


def _anonymise(
    conn: sa.Connection, table: sa.Table, customer_id: str, fields: tuple[str, ...]
) -> int:
    rows = list(
        conn.execute(sa.select(table.c.id, table.c.data).where(table.c.customer_id == customer_id))
    )
    now = now_utc()
    for row in rows:
        data = {k: v for k, v in row.data.items() if k not in fields}
        values: dict[str, Any] = {
            "data": data,
            "content_hash": content_hash(data),
            "updated_at": now,
            "customer_id": None,
        }
        if "email" in table.c:
            values["email"] = None
        conn.execute(sa.update(table).where(table.c.id == row.id).values(**values))
    return len(rows)
