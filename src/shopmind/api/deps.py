"""Dependency aliases: what a route needs is named in its signature, e.g. ``store: StoreDep``.

The app factory puts the settings and the store on ``app.state``; these read them back, so tests
can hand the factory their own store and settings without overriding dependencies.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shopmind.core.settings import Settings
from shopmind.store import Store


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def app_store(request: Request) -> Store:
    store: Store | None = request.app.state.store
    if store is None:
        raise RuntimeError("the store is not open: serve the app with its lifespan enabled")
    return store


SettingsDep = Annotated[Settings, Depends(app_settings)]
StoreDep = Annotated[Store, Depends(app_store)]
