"""Invisible-Unicode stripping.

Zero-width characters, bidi controls and Unicode tag characters (U+E0000 block) are invisible to a
person but not to a model: they are used to smuggle instructions into product text and break
exact matching. We drop them at ingestion.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile(
    "["
    "\u00ad"  # soft hyphen
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space/joiners, LRM/RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\ufeff"  # byte order mark / zero-width no-break space
    "\ufff9-\ufffb"  # interlinear annotations
    "\U000e0000-\U000e007f"  # tag characters
    "]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def strip_invisible(text: str) -> str:
    """Remove zero-width, bidi-control, tag and C0 control characters (keeps tab and newlines)."""
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


def clean_text(text: str, *, single_line: bool = False) -> str:
    """Invisible characters removed, NFC-normalised, runs of spaces collapsed, ends trimmed."""
    if _already_clean(text):
        return text
    text = unicodedata.normalize("NFC", strip_invisible(text))
    if single_line:
        return " ".join(text.split())
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _already_clean(text: str) -> bool:
    # str.isprintable() is False for every format (Cf: zero-width, bidi, tags), control and
    # non-ASCII space character, so most catalog strings are settled by these C-level checks
    # without running the regexes (ingest calls this a dozen times per product).
    return (
        text.isprintable()
        and "  " not in text
        and text == text.strip()
        and unicodedata.is_normalized("NFC", text)
    )
