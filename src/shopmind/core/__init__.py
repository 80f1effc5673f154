"""Domain types, errors and settings shared by every package."""

from shopmind.core.errors import (
    AuthError,
    ConfigError,
    IngestRejected,
    InputError,
    NotFoundError,
    PermissionDenied,
    ShopMindError,
)
from shopmind.core.schemas import (
    Availability,
    Customer,
    Document,
    DocumentKind,
    Event,
    EventName,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Review,
)
from shopmind.core.settings import Settings, get_settings

__all__ = [
    "AuthError",
    "Availability",
    "ConfigError",
    "Customer",
    "Document",
    "DocumentKind",
    "Event",
    "EventName",
    "IngestRejected",
    "InputError",
    "NotFoundError",
    "Order",
    "OrderLine",
    "OrderStatus",
    "PermissionDenied",
    "Product",
    "Review",
    "Settings",
    "ShopMindError",
    "get_settings",
]
