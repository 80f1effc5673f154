from __future__ import annotations

import threading
import time

import pytest

from shopmind.text import Segmenter, add_terms, segment, tokenize


def test_english_words_and_numbers_lower_cased() -> None:
    assert tokenize("iPhone 15 Pro 256GB") == ["iphone", "15", "pro", "256gb"]
    assert tokenize("USB-C cable, 2.5mm jack; women's fit!") == [
        "usb", "c", "cable", "2.5mm", "jack", "women's", "fit"
    ]  # fmt: skip


def test_english_only_text_does_not_build_the_dictionary() -> None:
    segmenter = Segmenter()
    assert segmenter.tokenize("Wireless earbuds", lang="en") == ["wireless", "earbuds"]
    assert segmenter._jieba is None


def test_chinese_mixed_with_latin_and_full_width() -> None:
    assert tokenize("Apple 无线蓝牙耳机，降噪，续航30小时！") == [
        "apple", "无线", "蓝牙", "耳机", "降噪", "续航", "30", "小时"
    ]  # fmt: skip
    # Full-width letters and the script change inside a run give the same tokens as spaced ASCII.
    assert tokenize("ｉＰｈｏｎｅ１５　Ｐｒｏ手机壳") == tokenize("iPhone15 Pro 手机壳")
    assert tokenize("2.5mm耳机") == ["2.5mm", "耳机"]


def test_added_terms_stay_one_token() -> None:
    segmenter = Segmenter()
    assert segmenter.tokenize("极光降噪耳机新款") == ["极光", "降噪", "耳机", "新款"]
    segmenter.add_terms(["极光降噪耳机", "AirPods Pro", "云雀X1"])
    assert segmenter.tokenize("极光降噪耳机新款") == ["极光降噪耳机", "新款"]
    assert segmenter.tokenize("云雀X1智能手表") == ["云雀", "x1", "智能", "手表"]
    # Terms live in that segmenter's own dictionary, not in other segmenters or jieba's global.
    assert tokenize("极光降噪耳机新款") == ["极光", "降噪", "耳机", "新款"]
    import jieba

    assert "极光降噪耳机" not in jieba.dt.FREQ


def test_module_add_terms_affects_later_tokenize() -> None:
    add_terms(["澜岸智能音箱"])
    assert tokenize("澜岸智能音箱促销") == ["澜岸智能音箱", "促销"]


def test_japanese_kanji_not_cut_with_the_chinese_dictionary() -> None:
    assert tokenize("東京の新しいワイヤレスイヤホン", lang="other")[0] == "東京"


def test_bad_lang_is_refused() -> None:
    with pytest.raises(ValueError, match="lang must be one of"):
        tokenize("x", lang="fr")


def test_concurrent_first_use_builds_one_dictionary(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    builds: list[object] = []
    real_build = segment._build_tokenizer

    def slow_build() -> object:
        time.sleep(0.05)  # widen the window in which a second thread could start a build
        builds.append(real_build())
        return builds[-1]

    monkeypatch.setattr(segment, "_build_tokenizer", slow_build)
    segmenter = Segmenter()
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(segmenter.tokenize("降噪蓝牙耳机")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [["降噪", "蓝牙", "耳机"]] * 8
    assert len(builds) == 1
    assert capfd.readouterr().err == ""  # jieba's "Building prefix dict..." is not printed
