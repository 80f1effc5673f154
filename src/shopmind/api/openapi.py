"""The OpenAPI document, completed with the bodies that routes read as raw bytes."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shopmind.api.schemas import RAW_BODY_MODELS

_REF = "#/components/schemas/{model}"


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a route that validates ``model`` from the raw body itself."""
    schema = {"$ref": _REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


class ShopMindAPI(FastAPI):
    """FastAPI whose schema also lists the models of raw-body routes (see ``json_body``)."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is not None:
            return self.openapi_schema
        schema = super().openapi()
        _, defs = models_json_schema(
            [(m, "validation") for m in RAW_BODY_MODELS], ref_template=_REF
        )
        known = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in defs.get("$defs", {}).items():
            known.setdefault(name, definition)
        return schema
