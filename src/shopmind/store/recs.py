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


class ShopperRows(NamedTuple):
    """What one request reads about a shopper, in one read transaction."""

    events: list[EventRow]  # newest first
    purchased: dict[str, datetime]  # product id -> when last bought
    locale: str | None


# Statements built once: building and cache-keying a select cost more than running it on
# SQLite's indexes (measured: about a third of a home-feed request's store time).
_RECENT: dict[tuple[str, ...], Any] = {
    who: sa.select(*_COLUMNS)
    .where(sa.or_(*[_E.c[col] == sa.bindparam(col) for col in who]))
    .order_by(_E.c.ts.desc(), _E.c.id.desc())
    .limit(sa.bindparam("limit"))
    for who in (("customer_id",), ("session_id",), ("customer_id", "session_id"))
}
_BOUGHT_IN_ORDERS = (
    sa.select(_L.c.product_id, sa.func.max(_O.c.placed_at))
    .select_from(_L.join(_O, _O.c.id == _L.c.order_id))
    .where(_O.c.customer_id == sa.bindparam("customer_id"), _O.c.status.not_in(_VOID_ORDERS))
    .group_by(_L.c.product_id)
)
_BOUGHT_IN_EVENTS = sa.select(_E.c.ts, _E.c.product_ids).where(
    _E.c.customer_id == sa.bindparam("customer_id"), _E.c.name == "purchase"
)
_LOCALE = sa.select(_C.c.locale).where(_C.c.id == sa.bindparam("customer_id"))
_STOCK = sa.select(_P.c.id, _P.c.stock, _P.c.availability).where(
    _P.c.id.in_(sa.bindparam("ids", expanding=True))
)


def shopper_rows(
    store: Store, customer_id: str | None, session_id: str | None, *, limit: int = 50
) -> ShopperRows:
    """A shopper's ``limit`` latest events, purchases and locale, read together."""
    with store.read() as conn:
        events = _recent(conn, customer_id, session_id, limit)
        purchased = _purchased(conn, customer_id) if customer_id else {}
        locale = _locale(conn, customer_id) if customer_id else None
    return ShopperRows(events, purchased, locale)


def recent_events(
    store: Store,
    *,
    customer_id: str | None = None,
    session_id: str | None = None,
    limit: int = 50,
) -> list[EventRow]:
    """The ``limit`` latest events of a customer or of a session (either matches), newest first."""
    with store.read() as conn:
        return _recent(conn, customer_id, session_id, limit)


def _recent(
    conn: sa.Connection, customer_id: str | None, session_id: str | None, limit: int
) -> list[EventRow]:
    params: dict[str, Any] = {"customer_id": customer_id, "session_id": session_id}
    who = tuple(col for col in ("customer_id", "session_id") if params[col])
    if not who:
        return []
    params = {col: params[col] for col in who} | {"limit": limit}
    return [_row(r) for r in conn.execute(_RECENT[who], params)]


def purchased_products(store: Store, customer_id: str) -> dict[str, datetime]:
    """Product id -> when the customer last bought it (kept orders and purchase events)."""
    with store.read() as conn:
        return _purchased(conn, customer_id)


def _purchased(conn: sa.Connection, customer_id: str) -> dict[str, datetime]:
    params = {"customer_id": customer_id}
    out: dict[str, datetime] = {}
    for pid, when in conn.execute(_BOUGHT_IN_ORDERS, params):
        out[pid] = _utc(when)
    for when, ids in conn.execute(_BOUGHT_IN_EVENTS, params):
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
    with store.read() as conn:
        return _locale(conn, customer_id)


def _locale(conn: sa.Connection, customer_id: str) -> str | None:
    value = conn.execute(_LOCALE, {"customer_id": customer_id}).scalar_one_or_none()
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
            rows = conn.execute(_STOCK, {"ids": list(part)})
            out.update({pid: (stock, avail) for pid, stock, avail in rows})
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
