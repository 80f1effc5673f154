from __future__ import annotations

import numpy as np
import pytest

from shopmind.search.analyzer import Analyzer
from shopmind.search.bm25 import Bm25, Bm25Params, Segment, bm25_idf


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("BEHR 1-gal. #SC-141 Deck", ["behr", "1", "gal", "sc", "141", "deck"]),
        ("3/4 in. x 8 ft. MDF", ["3/4", "in", "8", "ft", "mdf"]),
        ("1-1/2 in. PVC 60W LED bulbs", ["1", "1/2", "in", "pvc", "60", "watt", "led", "bulb"]),
        ("3\" screws, 6' ladder", ["3", "in", "screw", "6", "ft", "ladder"]),
        ("Women's Running Shoes size 8.5", ["women", "run", "shoe", "size", "8.5"]),
        ("ｉＰｈｏｎｅ 256GB 红色", ["iphon", "256", "gb", "红色"]),
        ("降噪蓝牙耳机", ["降噪", "蓝牙", "耳机"]),
        ("", []),
    ],
)
def test_analyzer_tokens(text: str, tokens: list[str]) -> None:
    assert Analyzer().tokens(text) == tokens


def test_units_need_a_number_unless_spelled_out() -> None:
    a = Analyzer()
    assert a.tokens("a v w") == ["a", "v", "w"]  # lone letters are not units
    assert a.tokens("12 v battery, 5 gallons") == ["12", "volt", "batteri", "5", "gal"]


def _index(docs: list[str], **params: float) -> tuple[Bm25, Analyzer]:
    a = Analyzer()
    bm = Bm25(Bm25Params(**params)) if params else Bm25()
    bm.add_segment([a.tokens(d) for d in docs])
    return bm, a


def test_bm25_prefers_more_distinct_terms_and_rare_terms() -> None:
    docs = ["red running shoes", "red red red red hat", "blue running shoes", "garden hose"]
    bm, a = _index(docs)
    scores, hits = bm.scores(a.tokens("red running shoes"))
    assert list(hits) == [0, 1, 2]
    assert scores[0] > scores[2] > 0 and scores[0] > scores[1]
    assert scores[3] == 0


def test_bm25_matches_lucene_formula() -> None:
    bm, _ = _index(["apple banana", "apple", "cherry"], k1=1.2, b=0.75)
    scores, _ = bm.scores(["banana"])
    idf = bm25_idf(1, 3)
    avg = 4 / 3
    tf_part = 1 * 2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 2 / avg))
    assert scores[0] == pytest.approx(idf * tf_part, rel=1e-5)


def test_segments_share_idf_and_positions() -> None:
    bm, a = _index(["red shoes", "blue shoes"])
    bm.add_segment([a.tokens("red hat")])
    scores, hits = bm.scores(["red"])
    assert list(hits) == [0, 2]
    assert bm.doc_freq("red") == 2 and bm.size == 3
    assert scores[0] > 0 and scores[2] > 0


def test_segment_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bm, _ = _index(["red shoes", "blue 运动鞋"])
    path = tmp_path / "seg.npz"
    bm.segments[0].save(path)
    loaded = Segment.load(path)
    other = Bm25()
    other.segments.append(loaded)
    for q in ("red", "运动鞋", "shoes"):
        assert np.allclose(other.scores([q])[0], bm.scores([q])[0])


def test_params_are_checked() -> None:
    with pytest.raises(ValueError, match="k1 > 0"):
        Bm25Params(k1=0)
