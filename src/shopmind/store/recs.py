"""Reads and writes the recommender needs: behaviour events, purchases, baskets, live stock,
customer locales and A/B experiments. Plain Python values out, never SQLAlchemy rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from shopmind.core.errors import InputError
from shopmind.store import tables
from shopmind.store.store import Store, chunks

_E = tables.events
_O = tables.orders
_L = tables.order_lines
_P = tables.products
_C = tables.customers
_X = tables.rec_experiments
# Orders that never reached the customer say nothing about what they own.
_VOID_ORDERS = ("cancelled", "returned")


class EventRow(NamedTuple):
    """The columns of one event the recommender reads."""

    name: str
    customer_id: str | None
    session_id: str | None
    ts: datetime
    product_ids: list[str]
    value: float | None
    currency: str | None
    properties: dict[str, Any]


def _row(row: Any) -> EventRow:
    props = row.properties
    if isinstance(props, str):  # some drivers hand JSON back as text
        props = json.loads(props)
    return EventRow(
        row.name,
        row.customer_id,
        row.session_id,
        row.ts,
        _id_list(row.product_ids),
        None if row.value is None else float(row.value),
        row.currency,
        props or {},
    )


_COLUMNS = (
    _E.c.name,
    _E.c.customer_id,
    _E.c.session_id,
    _E.c.ts,
    _E.c.product_ids,
    _E.c.value,
    _E.c.currency,
    _E.c.properties,
)


def behaviour_events(
    store: Store, names: Sequence[str], *, since: datetime | None = None
) -> list[EventRow]:
    """Events with one of ``names`` (at or after ``since``), oldest first, ties by id."""
    stmt = sa.select(*_COLUMNS).where(_E.c.name.in_(list(names))).order_by(_E.c.ts, _E.c.id)
    if since is not None:
        stmt = stmt.where(_E.c.ts >= since)
    with store.read() as conn:
        return [_row(r) for r in conn.execute(stmt)]


def recent_events(
    store: Store,
    *,
    customer_id: str | None = None,
    session_id: str | None = None,
    limit: int = 50,
) -> list[EventRow]:
    """The ``limit`` latest events of a customer or of a session (either matches), newest first."""
    who = []
    if customer_id:
        who.append(_E.c.customer_id == customer_id)
    if session_id:
        who.append(_E.c.session_id == session_id)
    if not who:
        return []
    stmt = sa.select(*_COLUMNS).where(sa.or_(*who)).order_by(_E.c.ts.desc(), _E.c.id.desc())
    with store.read() as conn:
        return [_row(r) for r in conn.execute(stmt.limit(limit))]


def purchased_products(store: Store, customer_id: str) -> dict[str, datetime]:
    """Product id -> when the customer last bought it (kept orders and purchase events)."""
    stmt = (
        sa.select(_L.c.product_id, sa.func.max(_O.c.placed_at))
        .select_from(_L.join(_O, _O.c.id == _L.c.order_id))
        .where(_O.c.customer_id == customer_id, _O.c.status.not_in(_VOID_ORDERS))
        .group_by(_L.c.product_id)
    )
    events = sa.select(_E.c.ts, _E.c.product_ids).where(
        _E.c.customer_id == customer_id, _E.c.name == "purchase"
    )
    out: dict[str, datetime] = {}
    with store.read() as conn:
        for pid, when in conn.execute(stmt):
            out[pid] = _utc(when)
        for when, ids in conn.execute(events):
            for pid in _id_list(ids):
                if pid not in out or out[pid] < when:
                    out[pid] = when
    return out


def order_baskets(store: Store) -> list[list[str]]:
    """The product ids of every kept order with two or more distinct products."""
    stmt = (
        sa.select(_L.c.order_id, _L.c.product_id)
        .select_from(_L.join(_O, _O.c.id == _L.c.order_id))
        .where(_O.c.status.not_in(_VOID_ORDERS))
        .order_by(_L.c.order_id, _L.c.line_no)
    )
    baskets: dict[str, list[str]] = {}
    with store.read() as conn:
        for order_id, pid in conn.execute(stmt):
            basket = baskets.setdefault(order_id, [])
            if pid not in basket:
                basket.append(pid)
    return [b for b in baskets.values() if len(b) >= 2]


def customer_locales(store: Store) -> dict[str, str]:
    """Customer id -> locale, for customers that have one."""
    stmt = sa.select(_C.c.id, _C.c.locale).where(_C.c.locale.is_not(None))
    with store.read() as conn:
        return {cid: str(locale) for cid, locale in conn.execute(stmt)}


def customer_locale(store: Store, customer_id: str) -> str | None:
    stmt = sa.select(_C.c.locale).where(_C.c.id == customer_id)
    with store.read() as conn:
        value = conn.execute(stmt).scalar_one_or_none()
    return None if value is None else str(value)


def customer_exists(store: Store, customer_id: str) -> bool:
    stmt = sa.select(_C.c.id).where(_C.c.id == customer_id)
    with store.read() as conn:
        return conn.execute(stmt).first() is not None


def product_stock(store: Store, ids: Sequence[str]) -> dict[str, tuple[int | None, str | None]]:
    """Product id -> (stock, availability) as stored now; unknown ids are absent."""
    out: dict[str, tuple[int | None, str | None]] = {}
    with store.read() as conn:
        for part in chunks(list(ids)):
            stmt = sa.select(_P.c.id, _P.c.stock, _P.c.availability).where(_P.c.id.in_(part))
            out.update({pid: (stock, avail) for pid, stock, avail in conn.execute(stmt)})
    return out


# --- experiments ----------------------------------------------------------------------------


def insert_experiment(store: Store, row: dict[str, Any]) -> None:
    """Add an experiment (columns of ``rec_experiments``); an existing id is an error."""
    if load_experiment(store, row["id"]) is not None:
        raise InputError(f"experiment {row['id']!r} already exists")
    with store.write() as conn:
        conn.execute(sa.insert(_X), [row])


def load_experiment(store: Store, experiment_id: str) -> dict[str, Any] | None:
    with store.read() as conn:
        row = conn.execute(sa.select(_X).where(_X.c.id == experiment_id)).first()
    return None if row is None else _experiment(row)


def list_experiments(store: Store, status: str | None = None) -> list[dict[str, Any]]:
    """Every experiment (with ``status``, if given), newest first."""
    stmt = sa.select(_X).order_by(_X.c.created_at.desc(), _X.c.id)
    if status is not None:
        stmt = stmt.where(_X.c.status == status)
    with store.read() as conn:
        return [_experiment(r) for r in conn.execute(stmt)]


def stop_experiment(store: Store, experiment_id: str, when: datetime) -> bool:
    """Mark a running experiment stopped; False when there is no such running one."""
    stmt = (
        sa.update(_X)
        .where(_X.c.id == experiment_id, _X.c.status == "running")
        .values(status="stopped", stopped_at=when)
    )
    with store.write() as conn:
        return bool(conn.execute(stmt).rowcount)


def _experiment(row: Any) -> dict[str, Any]:
    # plain str keys: SQLAlchemy's are a str subclass that strict JSON encoders refuse
    data = {str(key): value for key, value in row._mapping.items()}
    if isinstance(data["arms"], str):
        data["arms"] = json.loads(data["arms"])
    return data


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _id_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value or ()]
