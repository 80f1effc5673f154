"""One router per resource; ``ROUTERS`` is what the app factory mounts."""

from __future__ import annotations

from fastapi import APIRouter

from shopmind.api.routers import (
    assistant,
    customers,
    documents,
    events,
    health,
    keys,
    orders,
    products,
    recommend,
    reviews,
    search,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    products.router,
    customers.router,
    orders.router,
    reviews.insights_router,
    reviews.router,
    documents.router,
    events.router,
    keys.router,
    search.router,
    recommend.router,
    assistant.router,
)
