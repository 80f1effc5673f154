"""The app factory. Importing this module builds nothing; ``create_app`` builds one app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

import shopmind
from shopmind.api.errors import install_error_handlers
from shopmind.api.middleware import BodySizeLimit, RequestLog
from shopmind.api.openapi import ShopMindAPI
from shopmind.api.routers import ROUTERS
from shopmind.core.settings import Settings, get_settings
from shopmind.store import Store, open_store


def create_app(store: Store | None = None, settings: Settings | None = None) -> FastAPI:
    """A ShopMind REST API.

    ``store``: serve this store (the caller keeps ownership and closes it). Without one, the
    app opens the configured store when it starts and closes it when it stops.
    ``settings``: default ``get_settings()``, read now, not at import.
    """
    settings = settings or get_settings()
    app = ShopMindAPI(
        title="ShopMind",
        version=shopmind.__version__,
        summary="Catalogue, customers, orders, reviews, documents and events for shop AI.",
        lifespan=_lifespan,
        # One schema per model in the document, so the bodies added by ShopMindAPI.openapi
        # and the ones FastAPI derives share names.
        separate_input_output_schemas=False,
    )
    app.state.settings = settings
    app.state.store = store
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    # The last added runs first: the log sees every request, including those refused for size.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        # Keys travel in headers, never cookies: no credentials mode, so "*" stays safe.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    app.add_middleware(RequestLog)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    from shopmind.api.routers.search import stop_search

    if app.state.store is not None:
        try:
            yield
        finally:
            stop_search(app)
        return
    settings: Settings = app.state.settings
    # Opening migrates the schema: blocking work, kept off the event loop.
    store = await run_in_threadpool(open_store, settings.resolved_database_url())
    app.state.store = store
    try:
        yield
    finally:
        stop_search(app)
        app.state.store = None
        store.close()
