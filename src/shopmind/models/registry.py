"""The model registry: versioned artifact folders under ``models_dir/<task>/<version>/``.

An artifact is a folder with ``metadata.json`` (and its weight files), published by one atomic
rename so a reader never sees half of one. Versions are ``v1``, ``v2``, … per task, reserved with
an exclusive ``mkdir`` so two trainings cannot take the same number. One version per task may be
*promoted*; the pointer is ``<task>/promoted.json``, replaced atomically.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shopmind.core.errors import InputError, NotFoundError
from shopmind.core.settings import get_settings

METADATA = "metadata.json"
POINTER = "promoted.json"
_VERSION = re.compile(r"^v(\d+)$")
# The figure `models list` shows: the artifact's own ``key_metric`` when it names one, else the
# first of these its test metrics hold (classifiers: macro-F1; rankers: nDCG@10; recommenders).
KEY_METRICS = ("macro_f1", "ndcg@10", "recall@10", "accuracy")


@dataclass(frozen=True)
class ModelEntry:
    """One artifact as the registry lists it."""

    task: str
    version: str
    method: str
    base: str
    metric: str
    value: float | None
    created_at: str
    promoted: bool
    path: Path

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "version": self.version,
            "method": self.method,
            "base": self.base,
            self.metric: self.value,
            "created_at": self.created_at,
            "promoted": self.promoted,
            "path": str(self.path),
        }


def models_root(root: Path | None = None) -> Path:
    return root if root is not None else get_settings().models_dir


def _versions(task_dir: Path) -> list[str]:
    if not task_dir.is_dir():
        return []
    found = [
        p.name for p in task_dir.iterdir() if _VERSION.match(p.name) and (p / METADATA).is_file()
    ]
    return sorted(found, key=lambda v: int(v[1:]))


def read_metadata(folder: Path) -> dict[str, Any]:
    """The metadata of the artifact in ``folder``; NotFoundError if it is not one."""
    try:
        data = json.loads((folder / METADATA).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFoundError("model artifact", str(folder)) from None
    except ValueError as exc:
        raise InputError(f"{folder / METADATA} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{folder / METADATA} does not hold a JSON object")
    return data


def promoted_version(task: str, root: Path | None = None) -> str | None:
    try:
        data = json.loads((models_root(root) / task / POINTER).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def promoted(task: str, root: Path | None = None) -> Path | None:
    """The folder of the promoted artifact of ``task``, or None when none is promoted."""
    version = promoted_version(task, root)
    if version is None:
        return None
    path = models_root(root) / task / version
    return path if (path / METADATA).is_file() else None


def list_models(task: str | None = None, root: Path | None = None) -> list[ModelEntry]:
    """Every artifact (of ``task``, if given), by task then version."""
    base = models_root(root)
    if not base.is_dir():
        return []
    tasks = [task] if task else sorted(p.name for p in base.iterdir() if p.is_dir())
    entries = []
    for name in tasks:
        chosen = promoted_version(name, root)
        for version in _versions(base / name):
            entries.append(_entry(base / name / version, name, version, version == chosen))
    return entries


def _entry(folder: Path, task: str, version: str, is_promoted: bool) -> ModelEntry:
    meta = read_metadata(folder)
    test = meta.get("metrics", {}).get("test", {})
    key = key_metric(meta)
    value = test.get(key) if key else None
    return ModelEntry(
        task=task,
        version=version,
        method=str(meta.get("method", "?")),
        base=str(meta.get("base", {}).get("name", "?")),
        metric=f"test_{key}" if key else "",
        value=float(value) if isinstance(value, int | float) else None,
        created_at=str(meta.get("created_at", "")),
        promoted=is_promoted,
        path=folder,
    )


def key_metric(meta: dict[str, Any]) -> str | None:
    """The test metric that ranks artifacts of this kind (see `KEY_METRICS`)."""
    test = meta.get("metrics", {}).get("test", {})
    named = meta.get("key_metric")
    if isinstance(named, str) and named in test:
        return named
    return next((m for m in KEY_METRICS if m in test), None)


def resolve_model(ref: str | Path, root: Path | None = None) -> Path:
    """An artifact folder from a path, ``task`` (promoted, else newest) or ``task/version``."""
    as_path = Path(ref)
    if (as_path / METADATA).is_file():
        return as_path
    text = str(ref).strip("/")
    task, _, version = text.partition("/") if "/" in text else text.partition("@")
    base = models_root(root)
    if version:
        folder = base / task / version
        if not (folder / METADATA).is_file():
            raise NotFoundError("model", text) from None
        return folder
    chosen = promoted(task, root)
    if chosen is not None:
        return chosen
    versions = _versions(base / task)
    if not versions:
        known = sorted({e.task for e in list_models(root=root)})
        hint = f"; tasks with models: {', '.join(known)}" if known else "; train one first"
        raise NotFoundError("model", f"{text}{hint}")
    return base / task / versions[-1]


def show_model(ref: str | Path, root: Path | None = None) -> dict[str, Any]:
    """Metadata of an artifact, plus its folder and whether it is promoted."""
    folder = resolve_model(ref, root)
    meta = read_metadata(folder)
    task = str(meta.get("task", folder.parent.name))
    meta["path"] = str(folder)
    meta["promoted"] = promoted_version(task, root) == folder.name
    return meta


def promote(task: str, version: str, root: Path | None = None) -> ModelEntry:
    """Make ``task/version`` the promoted model of its task (replacing any earlier choice)."""
    folder = models_root(root) / task / version
    if not (folder / METADATA).is_file():
        have = ", ".join(_versions(folder.parent)) or "none"
        raise NotFoundError("model", f"{task}/{version} (versions of {task}: {have})")
    pointer = folder.parent / POINTER
    tmp = pointer.with_suffix(f".{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp")
    body = {"version": version, "promoted_at": datetime.now(UTC).isoformat(timespec="seconds")}
    tmp.write_text(json.dumps(body), encoding="utf-8")
    os.replace(tmp, pointer)
    return _entry(folder, task, version, True)


@dataclass(frozen=True)
class Staging:
    """A new artifact being written: files go to ``path``; it becomes ``task/version``."""

    task: str
    version: str
    path: Path


@contextmanager
def new_artifact(task: str, root: Path | None = None) -> Iterator[Staging]:
    """Reserve the next version, yield a staging folder, publish it by rename on success."""
    task_dir = models_root(root) / task
    task_dir.mkdir(parents=True, exist_ok=True)
    reserved = _reserve(task_dir)
    staging = task_dir / f".staging-{reserved.name}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        yield Staging(task, reserved.name, staging)
        # rename(2) onto an empty directory replaces it atomically.
        os.rename(staging, reserved)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if reserved.is_dir() and not any(reserved.iterdir()):
            reserved.rmdir()
        raise


def _reserve(task_dir: Path) -> Path:
    taken = [int(m.group(1)) for p in task_dir.iterdir() if (m := _VERSION.match(p.name))]
    number = max(taken, default=0) + 1
    while True:
        folder = task_dir / f"v{number}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            number += 1
