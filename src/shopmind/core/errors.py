"""Errors that say what to do. Edges (api, cli) turn them into HTTP or CLI messages."""

from __future__ import annotations


class ShopMindError(Exception):
    """Base class of every error ShopMind raises on purpose."""


class ConfigError(ShopMindError):
    """A setting is missing or unsafe."""


class NotFoundError(ShopMindError):
    """An entity asked for by id does not exist."""

    def __init__(self, kind: str, entity_id: str) -> None:
        super().__init__(f"{kind} {entity_id!r} not found")
        self.kind = kind
        self.entity_id = entity_id


class InputError(ShopMindError):
    """Input from a user or a file is invalid; the message names the field and why."""


class IngestRejected(ShopMindError):
    """An ingest committed nothing because rows were bad (``on_error='reject-file'``)."""

    def __init__(self, report: object, message: str) -> None:
        super().__init__(message)
        self.report = report


class AuthError(ShopMindError):
    """No valid credentials (HTTP 401)."""


class PermissionDenied(ShopMindError):
    """Valid credentials without the role an action needs (HTTP 403)."""
