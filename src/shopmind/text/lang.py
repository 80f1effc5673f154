"""A cheap script-based language guess (zh / en / other), good enough to tag catalog text."""

from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
_ENGLISH_HINTS = frozenset(
    "the and with for of to in is are this that you your our on by from new set pack".split()
)


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """'zh', 'en' or 'other'. Han characters win over Latin brand names ("Apple 无线耳机" is zh)."""
    sample = text[:400]  # the title and the start of the description decide; whole texts cost
    han = len(_HAN.findall(sample))
    if _KANA.search(sample) or _HANGUL.search(sample):
        return "other"
    latin = len(_LATIN.findall(sample))
    if han and han * 3 >= latin * 0.5:
        return "zh"
    if latin == 0:
        return "other"
    words = re.findall(r"[a-z]+", sample.lower())
    if not words:
        return "other"
    accented = len(re.findall(r"[À-ÿ]", sample))
    hints = sum(1 for w in words if w in _ENGLISH_HINTS)
    if accented > max(1, latin // 40) and hints == 0:
        return "other"
    return "en"
