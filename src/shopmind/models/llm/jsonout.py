"""Decode and check JSON output against the subset of JSON Schema we can check without deps."""

from __future__ import annotations

import json
from typing import Any

from shopmind.models.llm.errors import LLMError
from shopmind.models.llm.protocol import JsonSchema

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def parse_json_output(text: str, schema: JsonSchema, *, finish_reason: str = "stop") -> Any:
    """The decoded JSON, or LLMError saying why it is unusable (truncated, wrong shape)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (output hit max_tokens: raise max_tokens)" if finish_reason == "length" else ""
        raise LLMError(
            f"the model returned invalid JSON{hint}: {exc.msg}; got {text[:200]!r}"
        ) from exc
    problem = schema_problem(value, schema)
    if problem:
        raise LLMError(f"the model's JSON does not match the schema: {problem}; got {text[:200]!r}")
    return value


def schema_problem(value: Any, schema: JsonSchema, where: str = "$") -> str | None:
    """First violation of ``type``, ``enum``, ``const``, ``required``, ``properties``, ``items``.

    Other keywords are not checked (the grammar enforced them where the backend supports them).
    """
    expected = schema.get("type")
    if isinstance(expected, str) and expected in _TYPES:
        ok = isinstance(value, _TYPES[expected]) and not (
            isinstance(value, bool) and expected in ("integer", "number")
        )
        if not ok:
            return f"{where} should be {expected}, got {type(value).__name__}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{where} should be one of {schema['enum']!r}, got {value!r}"
    if "const" in schema and value != schema["const"]:
        return f"{where} should be {schema['const']!r}, got {value!r}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                return f"{where} lacks required key {key!r}"
        for key, sub in schema.get("properties", {}).items():
            if key in value and isinstance(sub, dict):
                problem = schema_problem(value[key], sub, f"{where}.{key}")
                if problem:
                    return problem
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            problem = schema_problem(item, schema["items"], f"{where}[{i}]")
            if problem:
                return problem
    return None


def estimate_tokens(text: str) -> int:
    """A rough token count when a server reports none: one per CJK character, ~4 chars else."""
    cjk = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return cjk + (len(text) - cjk + 3) // 4
