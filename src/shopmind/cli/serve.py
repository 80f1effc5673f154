"""``shopmind serve``: the REST API under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from shopmind.cli.common import console, get_store
from shopmind.core.settings import get_settings


def serve_command(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="bind address (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default 8000)")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve the REST API (OpenAPI docs at /docs)."""
    run_server(ctx, host, port, log_level)


def run_server(
    ctx: typer.Context, host: str | None, port: int | None, log_level: str = "info"
) -> None:
    import uvicorn

    from shopmind.api.app import create_app

    settings = get_settings()
    host = host or settings.api_host
    port = port or settings.api_port
    app = create_app(get_store(ctx), settings)
    console.print(f"serving on http://{host}:{port} (docs: http://{host}:{port}/docs)")
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
