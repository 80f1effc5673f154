"""/v1/assistant: customer-service conversations and the hand-off queue.

A storefront creates a session for a signed-in customer (``customer_id``, which the storefront
vouches for) or for a guest (no ``customer_id``: the guest proves an order by giving its number
and e-mail in a message). Session ids are random and unguessable, and a session serves only the
API key that started it (its history also merchant and admin keys). Messages answer as JSON, or
as server-sent events with ``?stream=true`` (``delta`` events with text, then one ``answer``
event with the whole answer and its citations). Hand-off tickets are for merchants.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from shopmind.api.auth import StorefrontKey, has_role, require
from shopmind.api.deps import SettingsDep, StoreDep
from shopmind.api.routers.entities import ERRORS
from shopmind.assistant import Assistant, ProductLookup, RateLimited, build_assistant
from shopmind.core.schemas import Product
from shopmind.core.settings import Settings
from shopmind.store import Role, Store

router = APIRouter(prefix="/v1/assistant", tags=["assistant"], responses=ERRORS)
_lock = threading.Lock()


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str | None = Field(
        default=None, max_length=200, description="the signed-in customer; omit for a guest"
    )
    language: Literal["en", "zh"] | None = None


class SessionOut(BaseModel):
    id: str
    customer_id: str | None
    language: str | None


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)


class CitationOut(BaseModel):
    kind: str
    id: str
    field: str
    value: str


class AnswerOut(BaseModel):
    text: str
    language: str
    citations: list[CitationOut]
    grounded: bool
    offer_handoff: bool
    handoff_id: str | None
    rephrased: bool
    intent: str | None
    tool_calls: list[str]


class MessageOut(BaseModel):
    seq: int
    role: str
    text: str
    intent: str | None
    citations: list[CitationOut]
    created_at: datetime


class HistoryOut(BaseModel):
    id: str
    customer_id: str | None
    language: str | None
    created_at: datetime
    messages: list[MessageOut]


class HandoffOut(BaseModel):
    id: str
    session_id: str
    customer_id: str | None
    reason: str
    summary: str
    language: str | None
    status: str
    created_at: datetime


def app_assistant(app: FastAPI, store: Store, settings: Settings) -> Assistant:
    """The app's assistant, built on first use."""
    found: Assistant | None = getattr(app.state, "assistant", None)
    if found is not None:
        return found
    with _lock:
        found = getattr(app.state, "assistant", None)
        if found is None:
            found = build_assistant(
                store, settings, product_lookup=_search_lookup(app, store, settings)
            )
            found.warm_up()
            app.state.assistant = found
    return found


def _search_lookup(app: FastAPI, store: Store, settings: Settings) -> ProductLookup:
    """Product questions without a product id go through product search (its index is loaded
    or built on the first such question)."""

    def lookup(query: str, language: str) -> list[Product]:
        from shopmind.api.routers.search import search_index
        from shopmind.search.schemas import SearchRequest
        from shopmind.search.service import search

        index = search_index(app, store, settings)
        found = search(index, SearchRequest(q=query[:200], per_page=3, lang=language))
        products = store.get("products", [item.id for item in found.items])
        return [p for p in products.values() if isinstance(p, Product)]

    return lookup


def _assistant(request: Request, store: StoreDep, settings: SettingsDep) -> Assistant:
    return app_assistant(request.app, store, settings)


AssistantDep = Annotated[Assistant, Depends(_assistant)]


@router.post("/sessions", status_code=201)
def create_session(body: SessionIn, assistant: AssistantDep, caller: StorefrontKey) -> SessionOut:
    """Start a conversation; only the key that starts it can send its messages."""
    session_id = assistant.start_session(
        customer_id=body.customer_id, language=body.language, api_key_id=caller.id
    )
    return SessionOut(id=session_id, customer_id=body.customer_id, language=body.language)


@router.post("/sessions/{session_id}/messages", response_model=None)
def post_message(
    session_id: str,
    body: MessageIn,
    assistant: AssistantDep,
    caller: StorefrontKey,
    stream: Annotated[bool, Query(description="answer as server-sent events")] = False,
) -> AnswerOut | JSONResponse | StreamingResponse:
    """Send the customer's message; the answer carries its citations. 404 for a session that
    another key started."""
    try:
        answer = assistant.reply(session_id, body.text, api_key_id=caller.id)
    except RateLimited as exc:
        return JSONResponse(
            {"error": "rate_limited", "message": str(exc), "detail": None},
            status_code=429,
            headers={"Retry-After": str(int(assistant.limits.window_s))},
        )
    out = AnswerOut.model_validate(answer.as_dict())
    if not stream:
        return out
    return StreamingResponse(_events(out), media_type="text/event-stream")


def _events(answer: AnswerOut) -> Iterator[str]:
    words = answer.text.split(" ") if answer.language != "zh" else list(answer.text)
    step = 8 if answer.language != "zh" else 12
    sep = " " if answer.language != "zh" else ""
    for start in range(0, len(words), step):
        chunk = sep.join(words[start : start + step])
        if start + step < len(words):
            chunk += sep
        yield _sse("delta", {"text": chunk})
    yield _sse("answer", answer.model_dump(mode="json"))


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get("/sessions/{session_id}")
def get_session(session_id: str, assistant: AssistantDep, caller: StorefrontKey) -> HistoryOut:
    """The conversation so far (personal data masked): for the key that started it, and for
    merchant and admin keys (a hand-off ticket names its session)."""
    staff = has_role(caller, Role.MERCHANT)
    return HistoryOut.model_validate(
        assistant.history(session_id, api_key_id=caller.id, staff=staff)
    )


@router.get("/handoffs", dependencies=[Depends(require(Role.MERCHANT))])
def list_handoffs(
    assistant: AssistantDep,
    status: Annotated[str | None, Query(max_length=20)] = "open",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[HandoffOut]:
    """The hand-off queue, newest first (``status`` empty: every ticket)."""
    rows = assistant.handoffs(status=status or None, limit=limit)
    return [HandoffOut.model_validate(r) for r in rows]
