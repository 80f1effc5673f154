"""Storage of the customer-service assistant: sessions, their messages, hand-off tickets, and the
order reads its tools need (an order by id, a customer's orders)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from shopmind.core.schemas import Order
from shopmind.store import tables
from shopmind.store.store import Store

_S = tables.assistant_sessions
_M = tables.assistant_messages
_H = tables.assistant_handoffs
_O = tables.orders
_D = tables.documents


def _now() -> datetime:
    return datetime.now(UTC)


def create_session(
    store: Store, *, customer_id: str | None, language: str | None, api_key_id: str | None = None
) -> str:
    """A new conversation, started by the API key ``api_key_id`` (None: not over the API);
    returns its id (random, unguessable)."""
    session_id = "s_" + secrets.token_urlsafe(18)
    now = _now()
    with store.write() as conn:
        conn.execute(
            sa.insert(_S).values(
                id=session_id,
                customer_id=customer_id,
                language=language,
                api_key_id=api_key_id,
                state={},
                created_at=now,
                updated_at=now,
            )
        )
    return session_id


def get_session(store: Store, session_id: str) -> dict[str, Any] | None:
    """The session row (id, customer_id, language, api_key_id, state, created_at, updated_at)
    or None."""
    with store.read() as conn:
        row = conn.execute(sa.select(_S).where(_S.c.id == session_id)).first()
    return dict(row._mapping) if row is not None else None


def save_session_state(
    store: Store, session_id: str, state: dict[str, Any], language: str | None
) -> None:
    """Replace what the session remembers."""
    with store.write() as conn:
        conn.execute(
            sa.update(_S)
            .where(_S.c.id == session_id)
            .values(state=state, language=language, updated_at=_now())
        )


def add_messages(store: Store, session_id: str, messages: list[dict[str, Any]]) -> None:
    """Append messages (role, text, intent, citations) after the session's last one."""
    with store.write() as conn:
        last = conn.execute(
            sa.select(sa.func.max(_M.c.seq)).where(_M.c.session_id == session_id)
        ).scalar_one()
        seq = int(last or 0)
        rows = []
        for message in messages:
            seq += 1
            rows.append(
                {
                    "session_id": session_id,
                    "seq": seq,
                    "role": message["role"],
                    "text": message["text"],
                    "intent": message.get("intent"),
                    "citations": message.get("citations", []),
                    "created_at": _now(),
                }
            )
        if rows:
            conn.execute(sa.insert(_M), rows)


def list_messages(store: Store, session_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """The session's messages, oldest first (seq, role, text, intent, citations, created_at)."""
    stmt = (
        sa.select(_M.c.seq, _M.c.role, _M.c.text, _M.c.intent, _M.c.citations, _M.c.created_at)
        .where(_M.c.session_id == session_id)
        .order_by(_M.c.seq.desc())
        .limit(limit)
    )
    with store.read() as conn:
        rows = [dict(row._mapping) for row in conn.execute(stmt)]
    return rows[::-1]


def create_handoff(
    store: Store,
    *,
    session_id: str,
    customer_id: str | None,
    reason: str,
    summary: str,
    language: str | None,
) -> str:
    """Queue a ticket for a human; returns its id."""
    ticket = "h_" + secrets.token_hex(8)
    with store.write() as conn:
        conn.execute(
            sa.insert(_H).values(
                id=ticket,
                session_id=session_id,
                customer_id=customer_id,
                reason=reason,
                summary=summary,
                language=language,
                status="open",
                created_at=_now(),
            )
        )
    return ticket


def list_handoffs(
    store: Store, *, status: str | None = "open", limit: int = 100
) -> list[dict[str, Any]]:
    """Tickets, newest first (id, session_id, customer_id, reason, summary, language, status,
    created_at)."""
    stmt = sa.select(_H).order_by(_H.c.created_at.desc(), _H.c.id).limit(limit)
    if status is not None:
        stmt = stmt.where(_H.c.status == status)
    with store.read() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]


def customer_orders(store: Store, customer_id: str, *, limit: int = 20) -> list[Order]:
    """A customer's orders, newest first."""
    stmt = (
        sa.select(_O.c.data)
        .where(_O.c.customer_id == customer_id)
        .order_by(_O.c.placed_at.desc(), _O.c.id)
        .limit(limit)
    )
    with store.read() as conn:
        return [Order.model_validate(row.data) for row in conn.execute(stmt)]


def find_order(store: Store, order_id: str) -> Order | None:
    """One order by id, or None."""
    with store.read() as conn:
        row = conn.execute(sa.select(_O.c.data).where(_O.c.id == order_id)).first()
    return Order.model_validate(row.data) if row is not None else None


def erase_assistant_data(conn: sa.Connection, customer_id: str) -> dict[str, int]:
    """Delete a customer's conversations (messages go with them) and hand-off tickets, inside
    the caller's transaction; for the right to erasure. Guest sessions carry no customer id and
    hold only masked text."""
    sessions = [
        row.id for row in conn.execute(sa.select(_S.c.id).where(_S.c.customer_id == customer_id))
    ]
    handoffs = conn.execute(sa.delete(_H).where(_H.c.customer_id == customer_id)).rowcount or 0
    messages = 0
    if sessions:
        messages = conn.execute(sa.delete(_M).where(_M.c.session_id.in_(sessions))).rowcount or 0
        conn.execute(sa.delete(_H).where(_H.c.session_id.in_(sessions)))
        conn.execute(sa.delete(_S).where(_S.c.id.in_(sessions)))
    return {
        "assistant_sessions_deleted": len(sessions),
        "assistant_messages_deleted": int(messages),
        "assistant_handoffs_deleted": int(handoffs),
    }


def documents_version(store: Store) -> tuple[int, str]:
    """(number of documents, latest change): changes whenever a document is added, edited or
    deleted, so the assistant knows to index its pages again."""
    with store.read() as conn:
        count, latest = conn.execute(sa.select(sa.func.count(), sa.func.max(_D.c.updated_at))).one()
    return int(count), latest.isoformat() if latest is not None else ""
