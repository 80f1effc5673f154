"""Recommendation metrics checked by hand, and the loaders' errors naming file and line."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from shopmind.core.errors import InputError
from shopmind.evaluate.recs import (
    MISSED,
    FloatArray,
    IntArray,
    batched_ranks,
    leave_one_out,
    metrics_from_ranks,
    mrr_from_ranks,
    ndcg_single,
    read_recbole,
    read_s3rec,
    read_sessions,
    session_prefixes,
    target_ranks,
)


def _arr(*items: int) -> np.ndarray:
    return np.asarray(items, dtype=np.int64)


def test_ranks_exclude_history_and_break_ties_by_item_index() -> None:
    scores = np.asarray(
        [
            [0.9, 0.8, 0.1, 0.5],  # item 0 is in the history: target 1 becomes rank 0
            [0.0, 0.0, 0.0, 0.0],  # all tied: target 2 has items 0 and 1 before it
            [0.1, 0.2, 0.3, 0.4],  # target 0 sits in its own history: never a hit
        ],
        dtype=np.float32,
    )
    ranks = target_ranks(scores, _arr(1, 2, 0), [_arr(0), _arr(3), _arr(0, 1)])
    assert ranks.tolist() == [0, 2, MISSED]
    assert scores[0, 0] == pytest.approx(0.9)  # the caller's scores are left alone


def test_metrics_by_hand() -> None:
    ranks = _arr(0, 3, 10, 15)
    out = metrics_from_ranks(ranks, (10, 20))
    assert out["recall@10"] == 0.5 and out["recall@20"] == 1.0
    expected10 = (1 + 1 / math.log2(5)) / 4
    assert out["ndcg@10"] == pytest.approx(expected10, abs=1e-4)
    expected20 = expected10 + (1 / math.log2(12) + 1 / math.log2(17)) / 4
    assert out["ndcg@20"] == pytest.approx(expected20, abs=1e-4)
    assert mrr_from_ranks(_arr(0, 1, 25), 20) == pytest.approx((1 + 0.5) / 3, abs=1e-4)
    assert ndcg_single(1, 10) == pytest.approx(1 / math.log2(3)) and ndcg_single(10, 10) == 0


def test_batched_ranks_match_one_batch() -> None:
    rng = np.random.default_rng(0)
    table = rng.random((7, 30)).astype(np.float32)
    histories = [_arr(i) for i in range(7)]
    targets = _arr(*range(10, 17))

    def score(hist: Sequence[IntArray]) -> FloatArray:
        return table[[int(h[0]) for h in hist]]

    whole = batched_ranks(score, histories, targets, batch=100)
    assert batched_ranks(score, histories, targets, batch=2).tolist() == whole.tolist()


def test_s3rec_reader_and_leave_one_out(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text("u1 a b c d\nu2 b c\n\nu3 c a e\n")
    data = read_s3rec(path)
    assert data.item_ids == ["a", "b", "c", "d", "e"] and data.n_interactions == 9
    split = leave_one_out(data)  # u2 has 2 items: nothing to hold out after validation
    assert [s.tolist() for s in split.train] == [[0, 1], [2]]
    assert split.valid_target.tolist() == [2, 0] and split.test_target.tolist() == [3, 4]
    assert [s.tolist() for s in split.test_history] == [[0, 1, 2], [2, 0]]


def test_s3rec_errors_name_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"not found: .*absent\.txt"):
        read_s3rec(tmp_path / "absent.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("u1 a b\nu2\n")
    with pytest.raises(InputError, match=r"bad.txt:2: expected 'user item item"):
        read_s3rec(bad)


def test_sessions_reader_sorts_by_time_and_maps_test_items(tmp_path: Path) -> None:
    train = tmp_path / "train.tsv"
    train.write_text(
        "SessionId\tItemId\tTime\n1\t10\t5.0\n1\t11\t1.0\n2\t12\t3\n3\t10\t1\n3\t12\t2\n"
    )
    data = read_sessions(train)
    # session 2 has a single click and is dropped; session 1 is re-ordered by time
    assert [data.item_ids[i] for i in data.sequences[0]] == ["11", "10"]
    assert len(data.sequences) == 2 and data.times is not None
    test = tmp_path / "test.tsv"
    test.write_text("SessionId\tItemId\tTime\n7\t10\t1\n7\t99\t2\n7\t12\t3\n")
    index = {item: i for i, item in enumerate(data.item_ids)}
    tested = read_sessions(test, item_index=index)
    assert tested.n_items == data.n_items  # unknown item 99 dropped, no new index
    histories, targets = session_prefixes(tested.sequences)
    assert [h.tolist() for h in histories] == [[index["10"]]]
    assert targets.tolist() == [index["12"]]


def test_sessions_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_sessions(tmp_path / "none.tsv")
    no_header = tmp_path / "h.tsv"
    no_header.write_text("1\t2\t3\n")
    with pytest.raises(InputError, match=r"h.tsv:1: expected header"):
        read_sessions(no_header)
    bad_time = tmp_path / "t.tsv"
    bad_time.write_text("SessionId\tItemId\tTime\n1\t2\tnoon\n")
    with pytest.raises(InputError, match=r"t.tsv:2: expected 'SessionId ItemId Time'"):
        read_sessions(bad_time)


INTER_HEADER = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"


def test_recbole_reader_orders_by_time_and_keeps_file_order_on_ties(tmp_path: Path) -> None:
    path = tmp_path / "tiny.inter"
    rows = [
        "u1\ta\t5\t30",
        "u2\tb\t3\t1",
        "u1\tb\t4\t10",
        "u1\tc\t1\t20",
        "u1\td\t2\t20",  # same time as c, later in the file: stays after c
        "",
        "u2\tc\t2\t1.5e0",
        "u2\te\t2\t2",
    ]
    path.write_text(INTER_HEADER + "\n".join(rows) + "\n")
    data = read_recbole(path)
    assert data.user_ids == ["u1", "u2"] and data.item_ids == ["a", "b", "c", "d", "e"]
    named = [[data.item_ids[i] for i in s] for s in data.sequences]
    assert named == [["b", "c", "d", "a"], ["b", "c", "e"]]
    assert data.times is not None and data.times[0].tolist() == [10, 20, 20, 30]
    split = leave_one_out(data)  # the s3rec protocol on the same structure
    assert split.test_target.tolist() == [0, 4] and split.valid_target.tolist() == [3, 2]


def test_recbole_reader_finds_columns_by_name_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "swapped.inter"
    path.write_text("timestamp:float\titem_id:token\tuser_id:token\n2\tx\tu\n1\ty\tu\n")
    data = read_recbole(path)
    assert [[data.item_ids[i] for i in s] for s in data.sequences] == [["y", "x"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "user_id:token\titem_id:token\trating:float\n1\t2\t3\n",
            r"b.inter:1: header lacks timestamp",
        ),
        ("", r"b.inter:1: header lacks user_id, item_id, timestamp"),
        (INTER_HEADER + "1\t2\t3\t4\n1\t2\t3\tnoon\n", r"b.inter:3: timestamp 'noon' is not"),
        (INTER_HEADER + "1\t2\t3\tnan\n", r"b.inter:2: timestamp 'nan' is not a finite"),
        (INTER_HEADER + "1\t2\t3\n", r"b.inter:2: expected 4 tab-separated fields .* got 3"),
        (INTER_HEADER + "1\t \t3\t4\n", r"b.inter:2: item_id is empty"),
        (INTER_HEADER, r"b.inter: no interactions"),
    ],
)
def test_recbole_errors_name_the_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "b.inter"
    bad.write_text(text)
    with pytest.raises(InputError, match=message):
        read_recbole(bad)


def test_recbole_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"not found: .*gone\.inter"):
        read_recbole(tmp_path / "gone.inter")
