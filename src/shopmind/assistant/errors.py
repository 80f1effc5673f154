"""Errors of the assistant, mapped to HTTP/CLI messages at the edge."""

from __future__ import annotations

from shopmind.core.errors import NotFoundError, ShopMindError


class SessionNotFound(NotFoundError):
    """No conversation with this id."""

    def __init__(self, session_id: str) -> None:
        super().__init__("assistant session", session_id)


class RateLimited(ShopMindError):
    """Too many messages in a session's window (HTTP 429); the message is the customer's."""
