"""The one place where errors become HTTP responses: ``{"error", "message", "detail"}``.

Domain code raises ``ShopMindError`` subclasses; this module maps each to a status and a stable
code. Nothing here echoes request headers, and unexpected errors answer a generic 500 (the
traceback goes to the server log only).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException

from shopmind.api.schemas import ErrorOut, ItemError
from shopmind.core.errors import (
    AuthError,
    ConfigError,
    IngestRejected,
    InputError,
    NotFoundError,
    PermissionDenied,
    ShopMindError,
)

log = logging.getLogger("shopmind.api")


class MalformedJsonError(InputError):
    """The body is not JSON at all (HTTP 400)."""


class BatchTooLargeError(InputError):
    """More items in one call than ``max_batch`` allows (HTTP 413)."""


class BatchRejectedError(InputError):
    """Some items of a batch are invalid, so none was written (HTTP 422)."""

    def __init__(self, errors: list[ItemError]) -> None:
        bad = {e.item for e in errors if e.item is not None}
        what = f"{len(bad)} item(s) of the batch are invalid" if bad else "the batch is malformed"
        super().__init__(f"{what}; nothing was written; see detail")
        self.errors = errors


class UnavailableError(ShopMindError):
    """A dependency such as the store does not answer (HTTP 503)."""


# Most specific first: the first class the error is an instance of decides.
_STATUS: tuple[tuple[type[ShopMindError], int, str], ...] = (
    (AuthError, 401, "unauthorized"),
    (PermissionDenied, 403, "forbidden"),
    (NotFoundError, 404, "not_found"),
    (MalformedJsonError, 400, "invalid_json"),
    (BatchTooLargeError, 413, "batch_too_large"),
    (BatchRejectedError, 422, "invalid_items"),
    (IngestRejected, 422, "rejected"),
    (InputError, 422, "invalid_input"),
    (ConfigError, 500, "config_error"),
    (UnavailableError, 503, "unavailable"),
    (ShopMindError, 400, "bad_request"),
)


def error_response(
    status: int,
    code: str,
    message: str,
    detail: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorOut(error=code, message=message, detail=detail)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


_CODES = {413: "payload_too_large", 422: "invalid_request"}


def status_code_name(status: int) -> str:
    """``404`` -> ``'not_found'``: the code for errors that carry only a status."""
    if status in _CODES:
        return _CODES[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "error"
    return phrase.lower().replace(" ", "_").replace("-", "_")


async def _shopmind_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ShopMindError)
    status, code = next((s, c) for cls, s, c in _STATUS if isinstance(exc, cls))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    message, detail = str(exc), None
    if isinstance(exc, BatchRejectedError):
        detail = [e.model_dump() for e in exc.errors]
    if isinstance(exc, ConfigError):
        # Configuration messages name paths and settings: for the operator, not the client.
        log.error("configuration error in %s %s: %s", request.method, request.url.path, exc)
        message = "the server is misconfigured; the operator has been told in the log"
    return error_response(status, code, message, detail, headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else status_code_name(exc.status_code)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(
        exc.status_code, status_code_name(exc.status_code), message, None, headers
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "invalid_json", "the request body is not valid JSON")
    # Only where and why: pydantic's ``input`` would echo (possibly personal) request data.
    detail = [
        {"field": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg", "")}
        for e in errors
    ]
    return error_response(422, "invalid_request", "the request is invalid; see detail", detail)


# Words the drivers use when another writer holds the lock (SQLite) or a lock wait ran out
# (PostgreSQL): the request may simply be tried again.
_BUSY = ("database is locked", "database table is locked", "lock timeout", "deadlock detected")


async def _store_error(request: Request, exc: Exception) -> JSONResponse:
    """The database is busy or unreachable: 503 with Retry-After, not a generic 500, so
    clients and load balancers back off and retry. Nothing was half-written: every write is
    one transaction."""
    assert isinstance(exc, sa_exc.OperationalError)
    busy = any(words in str(exc.orig).lower() for words in _BUSY)
    log.warning(
        "store %s in %s %s: %s",
        "busy" if busy else "unavailable",
        request.method,
        request.url.path,
        exc.orig,
    )
    if busy:
        message = "the store is busy with another write; retry shortly"
        return error_response(503, "busy", message, None, {"Retry-After": "1"})
    message = "the store is unavailable; it has been logged"
    return error_response(503, "store_unavailable", message, None, {"Retry-After": "5"})


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")


def install_error_handlers(app: FastAPI) -> None:
    """Make every error, expected or not, answer the same JSON shape."""
    app.add_exception_handler(ShopMindError, _shopmind_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(sa_exc.OperationalError, _store_error)
    app.add_exception_handler(Exception, _unexpected_error)
