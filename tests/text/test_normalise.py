from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from shopmind.text import normalise_for_match, strip_invisible, to_half_width

FULL_WIDTH_ASCII = [chr(code) for code in range(0xFF01, 0xFF5F)] + ["\u3000"]
INVISIBLE = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\U000e0041", "\u00ad", "\x07"]

# Full-width forms and invisible characters are rare in st.text(); mix them in on purpose.
catalog_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(FULL_WIDTH_ASCII + INVISIBLE + list("ßİΣςﬁ①㈱ｶﾞ\u0301\u0345")),
    )
)


def test_to_half_width_maps_full_width_ascii_and_ideographic_space() -> None:
    assert to_half_width("ｉＰｈｏｎｅ１５　Ｐｒｏ！") == "iPhone15 Pro!"
    assert to_half_width("降噪耳机，２个装。") == "降噪耳机,2个装。"  # 。 has no ASCII twin


def test_normalise_for_match_examples() -> None:
    assert normalise_for_match("  ＡＰＰＬＥ\u200b　无线耳机\n\tPro  ") == "apple 无线耳机 pro"
    assert normalise_for_match("Straße ﬁt ①") == "strasse fit 1"
    assert normalise_for_match("Cafe\u0301") == normalise_for_match("CAFÉ") == "café"


@given(catalog_text)
def test_normalise_for_match_is_idempotent(text: str) -> None:
    once = normalise_for_match(text)
    assert normalise_for_match(once) == once


@given(catalog_text)
def test_no_full_width_ascii_or_invisible_left(text: str) -> None:
    for out in (normalise_for_match(text), to_half_width(text)):
        assert not any(char in out for char in FULL_WIDTH_ASCII)
    out = normalise_for_match(text)
    assert strip_invisible(out) == out
    assert not any(char in out for char in INVISIBLE)
    assert out == out.strip() and "  " not in out


@given(catalog_text)
def test_length_never_grows_beyond_nfkc_expansion(text: str) -> None:
    expanded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    assert len(normalise_for_match(text)) <= len(expanded)


@given(catalog_text)
def test_to_half_width_keeps_length_and_is_idempotent(text: str) -> None:
    half = to_half_width(text)
    assert len(half) == len(text)
    assert to_half_width(half) == half
