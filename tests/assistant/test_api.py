"""/v1/assistant over HTTP: sessions, messages (JSON and SSE), history, hand-offs, limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shopmind.api import create_app
from shopmind.core.settings import Settings
from shopmind.store import Role, Store, create_api_key

from .conftest import customer_with_orders


@pytest.fixture
def client(
    shop: Store, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv("SHOPMIND_ASSISTANT_EMBEDDER", "none")
    monkeypatch.setenv("SHOPMIND_ASSISTANT_POLICY", str(demo_dir / "ground_truth.json"))
    app = create_app(store=shop, settings=Settings(home=tmp_path, llm="none"))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def keys(shop: Store) -> dict[Role, dict[str, str]]:
    return {
        role: {"Authorization": f"Bearer {create_api_key(shop, role.value, role)[1]}"}
        for role in Role
    }


def test_conversation_over_http(
    client: TestClient, keys: dict[Role, dict[str, str]], shop: Store
) -> None:
    customer, orders = customer_with_orders(shop)
    front = keys[Role.STOREFRONT]
    created = client.post("/v1/assistant/sessions", json={"customer_id": customer}, headers=front)
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    reply = client.post(
        f"/v1/assistant/sessions/{sid}/messages",
        json={"text": f"Where is order {orders[0].id}?"},
        headers=front,
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert orders[0].id in body["text"] and body["citations"][0]["kind"] == "order"
    zh = client.post(
        f"/v1/assistant/sessions/{sid}/messages", json={"text": "退款多久到账"}, headers=front
    ).json()
    assert zh["language"] == "zh" and zh["citations"][0]["id"] == "returns-zh"
    history = client.get(f"/v1/assistant/sessions/{sid}", headers=front).json()
    assert [m["role"] for m in history["messages"]] == ["user", "assistant"] * 2


def test_streamed_answer(client: TestClient, keys: dict[Role, dict[str, str]]) -> None:
    front = keys[Role.STOREFRONT]
    sid = client.post("/v1/assistant/sessions", json={}, headers=front).json()["id"]
    with client.stream(
        "POST",
        f"/v1/assistant/sessions/{sid}/messages?stream=true",
        json={"text": "How many days do I have to return an item?"},
        headers=front,
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = [block for block in raw.split("\n\n") if block.strip()]
    deltas = [json.loads(e.split("data: ", 1)[1])["text"] for e in events if "event: delta" in e]
    final = json.loads(events[-1].split("data: ", 1)[1])
    assert events[-1].startswith("event: answer")
    assert "".join(deltas) == final["text"] and "30 days" in final["text"]


def test_handoffs_need_a_merchant_key(client: TestClient, keys: dict[Role, dict[str, str]]) -> None:
    front = keys[Role.STOREFRONT]
    sid = client.post("/v1/assistant/sessions", json={}, headers=front).json()["id"]
    answer = client.post(
        f"/v1/assistant/sessions/{sid}/messages", json={"text": "转人工"}, headers=front
    ).json()
    assert answer["handoff_id"]
    assert client.get("/v1/assistant/handoffs", headers=front).status_code == 403
    queue = client.get("/v1/assistant/handoffs", headers=keys[Role.MERCHANT]).json()
    assert queue[0]["id"] == answer["handoff_id"] and queue[0]["language"] == "zh"


def test_errors(client: TestClient, keys: dict[Role, dict[str, str]]) -> None:
    front = keys[Role.STOREFRONT]
    assert client.post("/v1/assistant/sessions", json={}).status_code == 401
    missing = client.post(
        "/v1/assistant/sessions/s_nope/messages", json={"text": "hi"}, headers=front
    )
    assert missing.status_code == 404
    assert client.get("/v1/assistant/sessions/s_nope", headers=front).status_code == 404
    bad = client.post("/v1/assistant/sessions", json={"language": "fr"}, headers=front)
    assert bad.status_code == 422
    sid = client.post("/v1/assistant/sessions", json={}, headers=front).json()["id"]
    empty = client.post(f"/v1/assistant/sessions/{sid}/messages", json={"text": ""}, headers=front)
    assert empty.status_code == 422


def test_a_session_serves_only_the_key_that_started_it(
    client: TestClient, keys: dict[Role, dict[str, str]], shop: Store
) -> None:
    customer, orders = customer_with_orders(shop)
    front = keys[Role.STOREFRONT]
    other = {"Authorization": f"Bearer {create_api_key(shop, 'app', Role.STOREFRONT)[1]}"}
    sid = client.post("/v1/assistant/sessions", json={"customer_id": customer}, headers=front)
    sid = sid.json()["id"]
    said = client.post(
        f"/v1/assistant/sessions/{sid}/messages",
        json={"text": f"Where is order {orders[0].id}?"},
        headers=front,
    )
    assert said.status_code == 200
    # Another storefront key holding the id: the same 404 as for no session, nothing leaks.
    for response in (
        client.get(f"/v1/assistant/sessions/{sid}", headers=other),
        client.post(
            f"/v1/assistant/sessions/{sid}/messages",
            json={"text": "and my other orders?"},
            headers=other,
        ),
    ):
        assert response.status_code == 404, response.text
        assert orders[0].id not in response.text and customer not in response.text
    assert len(client.get(f"/v1/assistant/sessions/{sid}", headers=front).json()["messages"]) == 2
    # Staff read a conversation (a hand-off names it) but do not speak in it.
    history = client.get(f"/v1/assistant/sessions/{sid}", headers=keys[Role.MERCHANT])
    assert history.status_code == 200 and history.json()["customer_id"] == customer
    merchant_says = client.post(
        f"/v1/assistant/sessions/{sid}/messages", json={"text": "hi"}, headers=keys[Role.MERCHANT]
    )
    assert merchant_says.status_code == 404


def test_a_session_started_in_python_is_not_served_to_storefront_keys(
    client: TestClient, keys: dict[Role, dict[str, str]], shop: Store
) -> None:
    from shopmind.store import assistant as db

    sid = db.create_session(shop, customer_id="c1", language="en")
    front = keys[Role.STOREFRONT]
    assert client.get(f"/v1/assistant/sessions/{sid}", headers=front).status_code == 404
    said = client.post(f"/v1/assistant/sessions/{sid}/messages", json={"text": "hi"}, headers=front)
    assert said.status_code == 404
    assert client.get(f"/v1/assistant/sessions/{sid}", headers=keys[Role.ADMIN]).status_code == 200


def test_rate_limit_is_429(client: TestClient, keys: dict[Role, dict[str, str]]) -> None:
    front = keys[Role.STOREFRONT]
    sid = client.post("/v1/assistant/sessions", json={}, headers=front).json()["id"]
    codes = [
        client.post(
            f"/v1/assistant/sessions/{sid}/messages", json={"text": "hello"}, headers=front
        ).status_code
        for _ in range(21)
    ]
    assert codes[:20] == [200] * 20 and codes[20] == 429


@pytest.mark.slow
def test_product_question_through_search(
    client: TestClient, keys: dict[Role, dict[str, str]], shop: Store
) -> None:
    from shopmind.core.schemas import Product

    product = next(
        p
        for p in shop.iter_models("products")
        if isinstance(p, Product) and "colour" in p.attributes and p.language == "en"
    )
    front = keys[Role.STOREFRONT]
    sid = client.post("/v1/assistant/sessions", json={}, headers=front).json()["id"]
    answer = client.post(
        f"/v1/assistant/sessions/{sid}/messages",
        json={"text": f"What colour is the {product.title}?"},
        headers=front,
    ).json()
    assert answer["tool_calls"] == ["product_search"]
    cited = {(c["kind"], c["field"]) for c in answer["citations"]}
    assert ("product", "colour") in cited, answer
