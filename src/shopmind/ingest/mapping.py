"""Column mapping for generic files: which source column (or template, or constant) fills a field.

A mapping entry is ``target=source``:
- ``title=name``: copy the column ``name``;
- ``title={brand} {model}``: a template over columns;
- ``currency==BRL``: a constant (a leading ``=`` on the source);
and a value map ``name:pv=view_item,buy=purchase`` rewrites values of a target field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from shopmind.core.errors import InputError

_TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")


class FieldError(ValueError):
    """A value could not be converted; carries the field it belongs to."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


@dataclass
class Mapping:
    """Targets filled from source columns; see the module docstring for the syntax."""

    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def parse(
        cls, entries: list[str] | None = None, value_maps: list[str] | None = None
    ) -> Mapping:
        """From CLI strings: ``["title=name", ...]`` and ``["name:pv=view_item,buy=purchase"]``."""
        mapping = cls()
        for entry in entries or []:
            target, sep, source = entry.partition("=")
            if not sep or not target.strip() or not source:
                raise InputError(f"mapping {entry!r} must look like field=column")
            mapping.fields[target.strip()] = source
        for entry in value_maps or []:
            target, sep, pairs = entry.partition(":")
            if not sep:
                raise InputError(f"value map {entry!r} must look like field:from=to,from=to")
            table = mapping.values.setdefault(target.strip(), {})
            for pair in pairs.split(","):
                src, eq, dst = pair.partition("=")
                if not eq:
                    raise InputError(f"value map pair {pair!r} in {entry!r} must look like from=to")
                table[src.strip()] = dst.strip()
        return mapping

    @classmethod
    def from_file(cls, path: Path) -> Mapping:
        """From JSON: ``{"fields": {"title": "name"}, "values": {"name": {"pv": "view_item"}}}``."""
        try:
            obj = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise InputError(f"{path}: not a readable JSON mapping: {exc}") from None
        if not isinstance(obj, dict):
            raise InputError(f"{path}: a mapping file holds a JSON object")
        return cls(fields=dict(obj.get("fields", {})), values=dict(obj.get("values", {})))

    def merged(self, other: Mapping) -> Mapping:
        return Mapping({**self.fields, **other.fields}, {**self.values, **other.values})

    def sources(self) -> frozenset[str]:
        """Source columns the mapping reads, other than those that are also targets."""
        used: set[str] = set()
        for source in self.fields.values():
            if source.startswith("="):
                continue
            names = _TEMPLATE_FIELD.findall(source)
            used.update(names or [source])
        return frozenset(used - set(self.fields))

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The row with mapped targets filled in and value maps applied."""
        out = {k: v for k, v in raw.items() if k not in self.fields}
        for target, source in self.fields.items():
            value = _resolve(source, raw)
            if value is not None and value != "":
                out[target] = value
        for target, table in self.values.items():
            if target in out and str(out[target]) in table:
                out[target] = table[str(out[target])]
        return out


def _resolve(source: str, raw: dict[str, Any]) -> Any:
    if source.startswith("="):
        return source[1:]
    if _TEMPLATE_FIELD.search(source):
        return _TEMPLATE_FIELD.sub(lambda m: str(raw.get(m.group(1), "") or ""), source).strip()
    return raw.get(source)
