from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shopmind.text import clean_text, detect_language, html_to_text, strip_invisible

INVISIBLE = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\U000e0041", "\U000e007f", "\u00ad"]


def test_strip_invisible_removes_zero_width_bidi_and_tag_characters() -> None:
    smuggled = "Bud" + "".join(INVISIBLE) + "get\U000e0049\U000e0047\U000e004e"
    assert strip_invisible(smuggled) == "Budget"


@given(st.text())
def test_strip_invisible_is_idempotent_and_leaves_no_invisible(text: str) -> None:
    once = strip_invisible(text)
    assert strip_invisible(once) == once
    assert not any(ch in once for ch in INVISIBLE)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_clean_text_single_line_is_idempotent(text: str) -> None:
    once = clean_text(text, single_line=True)
    assert clean_text(once, single_line=True) == once
    assert "\n" not in once and "  " not in once


def test_html_to_text_drops_scripts_and_keeps_blocks() -> None:
    markup = "<p>Soft <b>cotton</b> tee</p><ul><li>Machine wash</li><li>Slim fit</li></ul><script>alert(1)</script><style>p{}</style>"
    text = html_to_text(markup)
    assert text == "Soft cotton tee\n- Machine wash\n- Slim fit"


def test_html_to_text_decodes_entities_and_passes_plain_text() -> None:
    assert html_to_text("Tom &amp; Jerry&nbsp;mug") == "Tom & Jerry mug"
    assert html_to_text("plain  words\u200b here") == "plain words here"


def test_detect_language() -> None:
    assert detect_language("Aurora 降噪蓝牙耳机 黑色") == "zh"
    assert detect_language("Wireless noise-cancelling headphones for the office") == "en"
    assert detect_language("ワイヤレスイヤホン") == "other"
    assert detect_language("12345") == "other"
