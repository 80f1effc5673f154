"""Pure ASGI middleware: request body size limit and a request log without credentials.

Pure ASGI (not ``BaseHTTPMiddleware``) so the body is never buffered twice and streaming and
background tasks keep working.
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopmind.api.errors import error_response

log = logging.getLogger("shopmind.api.requests")


class BodyTooLargeError(HTTPException):
    """Raised from ``receive`` once the body passes the limit.

    An HTTPException, because FastAPI turns any other error raised while reading a body into a
    400; this one reaches the app's handler and becomes the JSON 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with 413.

    A declared Content-Length over the limit is refused before the app runs; bodies without one
    (chunked) are counted as they stream and cut off as soon as they pass the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            # Normally the app's handler answers; this covers apps that let the error escape.
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            "payload_too_large",
            f"the request body is larger than the limit of {self.max_bytes} bytes",
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None  # the server rejects these; counting still guards us if it does not


class RequestLog:
    """One INFO line per request: method, route, status, time, key id. Never headers or bodies.

    The route template (``/v1/customers/{item_id:path}``) is logged rather than the path, so
    customer ids do not outlive an erasure in the logs; only requests that matched no route
    (404, 405, or refused before routing) log their raw path.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state = scope.setdefault("state", {})
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = getattr(scope.get("route"), "path", None) or scope["path"]
            log.info(
                "%s %s %d %.1fms key=%s",
                scope["method"],
                route,
                status,
                (time.perf_counter() - start) * 1000,
                state.get("api_key_id", "-"),
            )
