"""The REST API: ``create_app()`` builds a FastAPI app over a store.

Serve it with ``uvicorn --factory shopmind.api:create_app``.
"""

from shopmind.api.app import create_app

__all__ = ["create_app"]
