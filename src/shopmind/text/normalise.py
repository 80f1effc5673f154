"""Normalisation for matching: one spelling per string, whatever the keyboard or the IME typed.

Chinese input methods emit full-width ASCII (ｉＰｈｏｎｅ１５) and the ideographic space; NFKC maps
both to ASCII and also folds ligatures, circled digits and compatibility ideographs. Case folding
comes after NFKC and is followed by a second NFKC because folding can produce characters NFKC
would change again (the recipe of Unicode's NFKC_Casefold); checked idempotent over every code point
alone and next to a letter or combining mark.
"""

from __future__ import annotations

import unicodedata

from shopmind.text.unicode import strip_invisible

# Full-width ASCII variants U+FF01..U+FF5E sit at a fixed offset from ASCII; U+3000 is the
# ideographic space.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def to_half_width(text: str) -> str:
    """Full-width ASCII letters, digits, punctuation and the ideographic space as plain ASCII.

    Unlike NFKC this touches nothing else (no ligatures, superscripts or half-width katakana), and
    it keeps every character at its position: offsets found in the result are offsets in `text`.
    """
    return text.translate(_HALF_WIDTH)


def normalise_for_match(text: str) -> str:
    """NFKC, case-folded, invisible characters removed and whitespace collapsed to single spaces.

    For comparing and indexing, not for display. Idempotent: normalising twice changes nothing.
    """
    # Neither NFKC nor case folding outputs an invisible character (checked over every code
    # point), so one strip up front is enough.
    text = unicodedata.normalize("NFKC", strip_invisible(text))
    text = unicodedata.normalize("NFKC", text.casefold())
    return " ".join(text.split())
