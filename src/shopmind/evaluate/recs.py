"""Recommendation benchmark data and metrics.

Three formats: ``s3rec`` (``user item item ...`` per line, time-ordered), ``recbole`` (a RecBole
atomic ``.inter`` file: TSV with a ``name:type`` header holding ``user_id``, ``item_id`` and
``timestamp``; read into the same per-user sequences as s3rec) and ``sessions`` (TSV
``SessionId ItemId Time`` with a header). Item ids become dense indices ``0..n_items-1``. The
s3rec protocol is leave-one-out with full ranking over all items: the last item of each user is
the test target, the second last the validation target, and items already in the user's history
are never counted as hits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from shopmind.core.errors import InputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
MISSED = 2**31  # the rank of a target that can never be recommended (it is in the history)
Scorer = Callable[[Sequence[IntArray]], FloatArray]  # histories -> (n, n_items) scores


@dataclass(frozen=True)
class SequenceData:
    """Time-ordered item sequences (one per user or session) over dense item indices."""

    sequences: list[IntArray]
    item_ids: list[str]
    path: Path
    times: list[npt.NDArray[np.float64]] | None = None  # per sequence, when the file has them
    user_ids: list[str] = field(default_factory=list)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def n_interactions(self) -> int:
        return int(sum(len(s) for s in self.sequences))


def _missing(path: Path) -> InputError:
    return InputError(f"dataset file not found: {path}")


def read_s3rec(path: Path) -> SequenceData:
    """Read ``user item item ...`` lines; the items of a line are in time order."""
    if not path.is_file():
        raise _missing(path)
    index: dict[str, int] = {}
    sequences: list[IntArray] = []
    users: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2:
                raise InputError(
                    f"{path}:{number}: expected 'user item item ...', got {line.strip()!r}"
                )
            users.append(parts[0])
            seq = [index.setdefault(item, len(index)) for item in parts[1:]]
            sequences.append(np.asarray(seq, dtype=np.int64))
    if not sequences:
        raise InputError(f"{path}: no interactions (expected 'user item item ...' lines)")
    return SequenceData(sequences, list(index), path, user_ids=users)


RECBOLE_FIELDS = ("user_id", "item_id", "timestamp")


def read_recbole(path: Path) -> SequenceData:
    """Read a RecBole ``.inter`` file into per-user sequences ordered by ``timestamp``.

    The header is tab-separated ``name:type`` fields (``user_id:token item_id:token
    rating:float timestamp:float``); other columns are ignored. Interactions with equal times keep
    their file order. Users and items are numbered in order of first appearance in the file.
    """
    if not path.is_file():
        raise _missing(path)
    index: dict[str, int] = {}
    rows: dict[str, list[tuple[float, int]]] = {}
    with path.open(encoding="utf-8") as handle:
        header = [field.split(":", 1)[0] for field in handle.readline().rstrip("\r\n").split("\t")]
        absent = [name for name in RECBOLE_FIELDS if name not in header]
        if absent:
            raise InputError(
                f"{path}:1: header lacks {', '.join(absent)} (a RecBole .inter header such as "
                f"'user_id:token<TAB>item_id:token<TAB>timestamp:float'), got {header}"
            )
        user_col, item_col, time_col = (header.index(name) for name in RECBOLE_FIELDS)
        for number, line in enumerate(handle, start=2):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != len(header):
                raise InputError(
                    f"{path}:{number}: expected {len(header)} tab-separated fields "
                    f"({', '.join(header)}), got {len(parts)}"
                )
            user, item = parts[user_col].strip(), parts[item_col].strip()
            for name, value in (("user_id", user), ("item_id", item)):
                if not value:
                    raise InputError(f"{path}:{number}: {name} is empty")
            try:
                when = float(parts[time_col])
            except ValueError:
                when = math.nan
            if not math.isfinite(when):
                raise InputError(
                    f"{path}:{number}: timestamp {parts[time_col]!r} is not a finite number"
                )
            rows.setdefault(user, []).append((when, index.setdefault(item, len(index))))
    if not rows:
        raise InputError(f"{path}: no interactions after the header")
    sequences: list[IntArray] = []
    times: list[npt.NDArray[np.float64]] = []
    for events in rows.values():
        events.sort(key=lambda e: e[0])  # stable: equal times keep file order
        times.append(np.asarray([e[0] for e in events], dtype=np.float64))
        sequences.append(np.asarray([e[1] for e in events], dtype=np.int64))
    return SequenceData(sequences, list(index), path, times=times, user_ids=list(rows))


def read_sessions(path: Path, item_index: dict[str, int] | None = None) -> SequenceData:
    """Read a ``SessionId<TAB>ItemId<TAB>Time`` file (header first) into time-ordered sessions.

    With ``item_index`` (from the training file), clicks on items it lacks are dropped, so a test
    file is scored over the items the models know; sessions left shorter than 2 are dropped.
    """
    if not path.is_file():
        raise _missing(path)
    known = item_index is not None
    index: dict[str, int] = dict(item_index) if item_index is not None else {}
    rows: dict[str, list[tuple[float, int]]] = {}
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().split()
        if header[:3] != ["SessionId", "ItemId", "Time"]:
            raise InputError(f"{path}:1: expected header 'SessionId ItemId Time', got {header}")
        for number, line in enumerate(handle, start=2):
            parts = line.split()
            if not parts:
                continue
            try:
                session, item, when = parts[0], parts[1], float(parts[2])
            except (IndexError, ValueError):
                raise InputError(
                    f"{path}:{number}: expected 'SessionId ItemId Time', got {line.strip()!r}"
                ) from None
            if known and item not in index:
                continue
            rows.setdefault(session, []).append((when, index.setdefault(item, len(index))))
    sequences: list[IntArray] = []
    times: list[npt.NDArray[np.float64]] = []
    users: list[str] = []
    for session, clicks in rows.items():
        if len(clicks) < 2:
            continue
        clicks.sort(key=lambda c: c[0])  # stable: equal times keep file order
        users.append(session)
        times.append(np.asarray([c[0] for c in clicks], dtype=np.float64))
        sequences.append(np.asarray([c[1] for c in clicks], dtype=np.int64))
    if not sequences:
        raise InputError(f"{path}: no session with 2 or more clicks")
    return SequenceData(sequences, list(index), path, times=times, user_ids=users)


@dataclass(frozen=True)
class LeaveOneOut:
    """The s3rec split: fit on ``train``; validate and test on the next item of each user."""

    train: list[IntArray]  # each sequence without its last two items
    valid_history: list[IntArray]
    valid_target: IntArray
    test_history: list[IntArray]  # train + the validation item
    test_target: IntArray
    n_items: int


def leave_one_out(data: SequenceData) -> LeaveOneOut:
    """Split every sequence of 3+ items; shorter users have no held-out item and are left out."""
    kept = [s for s in data.sequences if len(s) >= 3]
    if not kept:
        raise InputError(f"{data.path}: no user has 3 or more items, nothing to hold out")
    return LeaveOneOut(
        train=[s[:-2] for s in kept],
        valid_history=[s[:-2] for s in kept],
        valid_target=np.asarray([s[-2] for s in kept], dtype=np.int64),
        test_history=[s[:-1] for s in kept],
        test_target=np.asarray([s[-1] for s in kept], dtype=np.int64),
        n_items=data.n_items,
    )


def target_ranks(scores: FloatArray, targets: IntArray, histories: Sequence[IntArray]) -> IntArray:
    """0-based rank of each target among all items, history items removed.

    Ties are broken by item index (what a stable top-k returns), so a model that scores
    everything 0 gets no credit for ties. A target inside its own history gets rank ``MISSED``
    (beyond every cut-off, even on a catalogue smaller than k).
    """
    scores = np.array(scores, dtype=np.float32, copy=True)
    rows = np.repeat(np.arange(len(histories)), [len(h) for h in histories])
    cols = np.concatenate(histories) if len(histories) else np.zeros(0, dtype=np.int64)
    scores[rows, cols] = -np.inf
    picked = np.arange(len(targets))
    target_scores = scores[picked, targets][:, None]
    higher = (scores > target_scores).sum(axis=1)
    below_index = np.arange(scores.shape[1])[None, :] < targets[:, None]
    tied_before = ((scores == target_scores) & below_index).sum(axis=1)
    ranks: IntArray = np.asarray(higher + tied_before, dtype=np.int64)
    ranks[np.isneginf(target_scores[:, 0])] = MISSED
    return ranks


def metrics_from_ranks(ranks: IntArray, cutoffs: Sequence[int] = (10, 20)) -> dict[str, float]:
    """recall@k (hit rate: one target per user) and ndcg@k = 1/log2(rank + 2) for hits."""
    out: dict[str, float] = {}
    for k in cutoffs:
        hit = ranks < k
        gain = np.where(hit, 1.0 / np.log2(ranks + 2.0), 0.0)
        out[f"recall@{k}"] = round(float(hit.mean()), 4) if len(ranks) else 0.0
        out[f"ndcg@{k}"] = round(float(gain.mean()), 4) if len(ranks) else 0.0
    return out


def mrr_from_ranks(ranks: IntArray, k: int = 20) -> float:
    """Mean reciprocal rank with ranks beyond k counted 0."""
    if not len(ranks):
        return 0.0
    return round(float(np.where(ranks < k, 1.0 / (ranks + 1.0), 0.0).mean()), 4)


def batched_ranks(
    score: Scorer,
    histories: Sequence[IntArray],
    targets: IntArray,
    *,
    exclude_history: bool = True,
    batch: int = 1024,
) -> IntArray:
    """Ranks of ``targets`` under ``score``, a batch of users at a time (bounded memory)."""
    parts: list[IntArray] = []
    empty = np.zeros(0, dtype=np.int64)
    for start in range(0, len(histories), batch):
        hist = list(histories[start : start + batch])
        scores = score(hist)
        masked = hist if exclude_history else [empty] * len(hist)
        parts.append(target_ranks(scores, targets[start : start + batch], masked))
    return np.concatenate(parts).astype(np.int64) if parts else empty


def session_prefixes(sessions: Sequence[IntArray]) -> tuple[list[IntArray], IntArray]:
    """Every next-click task of the sessions: (prefix, next item) for each position 1..n-1."""
    histories = [s[:i] for s in sessions for i in range(1, len(s))]
    targets = np.asarray([s[i] for s in sessions for i in range(1, len(s))], dtype=np.int64)
    return histories, targets


def ndcg_single(rank: int, k: int) -> float:
    """nDCG@k of one relevant item at 0-based ``rank`` (for checking by hand)."""
    return 1.0 / math.log2(rank + 2) if rank < k else 0.0
