"""The error an LLM backend raises when a call fails for a reason other than configuration."""

from __future__ import annotations

from shopmind.core.errors import ShopMindError


class LLMError(ShopMindError):
    """A chat call failed: server status and message, unreachable server, or unusable output.

    ``status`` is the HTTP status code when a server answered (None otherwise); ``url`` is the
    endpoint that was called, when there was one. The message never contains an API key.
    """

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.url = url
