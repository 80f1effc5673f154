"""The request body limit, declared (Content-Length) and streamed (chunked)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import orjson
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from shopmind.api.middleware import BodySizeLimit
from shopmind.store import Role, Store

from .conftest import MAX_BODY, Make

Auth = Callable[[Role], dict[str, str]]


def big_body(make: Make) -> bytes:
    # Few items, long text: over the byte limit while under max_batch.
    items = [make.document(f"d{n}", body="x" * (MAX_BODY // 4)) for n in range(5)]
    body = orjson.dumps({"items": items})
    assert len(body) > MAX_BODY
    return body


def test_declared_length_over_the_limit_is_413(
    client: TestClient, auth: Auth, make: Make, store: Store
) -> None:
    headers = auth(Role.MERCHANT) | {"Content-Type": "application/json"}
    response = client.post("/v1/documents", content=big_body(make), headers=headers)
    assert response.request.headers["content-length"] == str(len(big_body(make)))
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert str(MAX_BODY) in response.json()["message"]
    assert store.stats()["documents"] == 0


def test_declared_length_is_refused_before_authentication(client: TestClient, make: Make) -> None:
    response = client.post("/v1/documents", content=big_body(make))
    assert response.status_code == 413


def chunks(body: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_chunked_body_over_the_limit_is_413(
    client: TestClient, auth: Auth, make: Make, store: Store
) -> None:
    headers = auth(Role.MERCHANT) | {"Content-Type": "application/json"}
    response = client.post("/v1/documents", content=chunks(big_body(make)), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert store.stats()["documents"] == 0


def test_chunked_body_over_the_limit_is_413_on_fastapi_parsed_routes(
    client: TestClient, auth: Auth
) -> None:
    # /delete bodies are parsed by FastAPI itself, which turns most read errors into 400.
    body = orjson.dumps({"ids": [f"id-{n:06d}" for n in range(MAX_BODY // 10)]})
    headers = auth(Role.MERCHANT) | {"Content-Type": "application/json"}
    response = client.post("/v1/products/delete", content=chunks(body), headers=headers)
    assert response.status_code == 413


def test_chunked_body_under_the_limit_passes(client: TestClient, auth: Auth, make: Make) -> None:
    body = orjson.dumps({"items": [make.document("d1")]})
    headers = auth(Role.MERCHANT) | {"Content-Type": "application/json"}
    response = client.post("/v1/documents", content=chunks(body, 8), headers=headers)
    assert response.status_code == 200
    assert response.json()["inserted"] == 1


# The middleware alone, fed a body in many small chunks, as a real server would.


def run_middleware(
    limit: int, parts: list[bytes], headers: list[tuple[bytes, bytes]]
) -> tuple[list[Message], list[bytes]]:
    received: list[bytes] = []
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            received.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    messages = iter(
        [
            {"type": "http.request", "body": p, "more_body": i < len(parts) - 1}
            for i, p in enumerate(parts)
        ]
    )

    async def receive() -> Message:
        return next(messages)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    asyncio.run(BodySizeLimit(app, max_bytes=limit)(scope, receive, send))
    return sent, received


def test_middleware_stops_reading_once_the_limit_is_passed() -> None:
    sent, received = run_middleware(100, [b"x" * 40] * 10, headers=[])
    assert sent[0]["status"] == 413
    assert orjson.loads(sent[1]["body"])["error"] == "payload_too_large"
    assert sum(map(len, received)) <= 100  # the app never saw the bytes past the limit
    assert len(received) == 2


def test_middleware_refuses_declared_length_without_calling_the_app() -> None:
    sent, received = run_middleware(100, [b"x" * 10], headers=[(b"content-length", b"101")])
    assert sent[0]["status"] == 413
    assert received == []


def test_middleware_passes_bodies_at_the_limit() -> None:
    sent, received = run_middleware(100, [b"x" * 50, b"x" * 50], headers=[])
    assert sent[0]["status"] == 200
    assert b"".join(received) == b"x" * 100
