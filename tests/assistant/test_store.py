"""store.assistant on every backend (SQLite, and PostgreSQL with the integration marker)."""

from __future__ import annotations

from shopmind.core.schemas import Order
from shopmind.store import Store
from shopmind.store import assistant as db


def _order(oid: str, customer: str, placed: str) -> Order:
    return Order.model_validate(
        {
            "id": oid,
            "customer_id": customer,
            "email": f"{customer}@example.com",
            "lines": [{"product_id": "p1", "quantity": 1, "unit_price": "5.00"}],
            "currency": "EUR",
            "status": "paid",
            "placed_at": placed,
        }
    )


def test_sessions_messages_handoffs(store: Store) -> None:
    sid = db.create_session(store, customer_id="c1", language="en")
    session = db.get_session(store, sid)
    assert session is not None and session["customer_id"] == "c1" and session["state"] == {}
    assert session["api_key_id"] is None
    keyed = db.get_session(
        store, db.create_session(store, customer_id=None, language=None, api_key_id="k_front")
    )
    assert keyed is not None and keyed["api_key_id"] == "k_front"
    db.save_session_state(store, sid, {"orders_mentioned": ["o1"]}, "zh")
    session = db.get_session(store, sid)
    assert session is not None
    assert session["state"] == {"orders_mentioned": ["o1"]} and session["language"] == "zh"
    db.add_messages(
        store, sid, [{"role": "user", "text": "hi"}, {"role": "assistant", "text": "yo"}]
    )
    db.add_messages(store, sid, [{"role": "user", "text": "again", "citations": [{"kind": "x"}]}])
    messages = db.list_messages(store, sid)
    assert [m["seq"] for m in messages] == [1, 2, 3]
    assert messages[2]["citations"] == [{"kind": "x"}]
    assert [m["text"] for m in db.list_messages(store, sid, limit=2)] == ["yo", "again"]
    ticket = db.create_handoff(
        store, session_id=sid, customer_id="c1", reason="requested", summary="s", language="en"
    )
    assert [h["id"] for h in db.list_handoffs(store)] == [ticket]
    assert db.list_handoffs(store, status="closed") == []
    assert db.get_session(store, "s_missing") is None


def test_order_reads(store: Store) -> None:
    store.upsert(
        "orders",
        [
            _order("o1", "c1", "2025-01-01T00:00:00Z"),
            _order("o2", "c1", "2025-02-01T00:00:00Z"),
            _order("o3", "c2", "2025-03-01T00:00:00Z"),
        ],
    )
    assert [o.id for o in db.customer_orders(store, "c1")] == ["o2", "o1"]
    assert [o.id for o in db.customer_orders(store, "c1", limit=1)] == ["o2"]
    found = db.find_order(store, "o3")
    assert found is not None and found.customer_id == "c2"
    assert db.find_order(store, "nope") is None


def test_erase_assistant_data(store: Store) -> None:
    mine = db.create_session(store, customer_id="c1", language="en")
    other = db.create_session(store, customer_id="c2", language="en")
    for sid in (mine, other):
        db.add_messages(store, sid, [{"role": "user", "text": "hi"}])
        db.create_handoff(
            store, session_id=sid, customer_id=None, reason="requested", summary="s", language=None
        )
    with store.write() as conn:
        report = db.erase_assistant_data(conn, "c1")
    assert report["assistant_sessions_deleted"] == 1
    assert report["assistant_messages_deleted"] == 1
    assert db.get_session(store, mine) is None and db.list_messages(store, mine) == []
    assert [h["session_id"] for h in db.list_handoffs(store)] == [other]
    assert db.get_session(store, other) is not None
