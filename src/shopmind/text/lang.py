"""A cheap language guess (zh / en / other), good enough to tag catalog text at ingest.

Script decides first: Han characters make it Chinese (brand names in Latin letters are common in
Chinese titles, so "Apple 无线耳机" is zh), kana or Hangul make it other. Latin text is English
unless it carries more stop words of French, German, Spanish, Portuguese, Italian or Dutch than of
English, or letters English does not use. A trained identifier (fastText lid.176, lingua) would be
more accurate on short titles, but costs a model file and tens of microseconds to milliseconds per
text; this runs in a few microseconds and only has to separate three classes.
"""

from __future__ import annotations

import re
from functools import lru_cache

_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u3130-\u318f\uac00-\ud7af]")
_HAS_LETTER = re.compile(r"[A-Za-z]")
# Letters are counted on the UTF-8 bytes with bytes.translate, all in C: a regex findall over
# 400 characters cost 7-10 µs per script, over the whole budget. Every byte of an ASCII letter is
# itself; each ideograph U+4000..U+9FFF starts with one lead byte 0xE4..0xE9, which never occurs
# inside another character's encoding.
_NOT_ASCII_LETTER = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())
_HAN_LEAD = bytes(range(0xE4, 0xEA))
# Letters of Latin-script languages that English words do not use. "é" is left out: café,
# Pokémon, Nestlé and résumé are English catalog words.
_FOREIGN_LETTERS = re.compile(r"[àâãäåçèêëìíîïñòóôõöøùúûüÿßœ]")
_ENGLISH = frozenset(
    "the and with for of to in is are this that you your our on by from new set pack it its be"
    " can will has have not or an at all each one more than into was were which these those".split()
)
# Frequent function words of fr/de/es/pt/it/nl that are not also English words or tokens of
# ordinary English text ("as", "do", "no", "per", "pour", "van", "ce" of "CE certified" are
# left out).
_FOREIGN = frozenset(
    "de le la les des du une et est avec sans sur dans pas qui au aux ces cette vous nous"
    " der die das und mit für ist nicht ein eine einem einer den dem auf zu sich ohne auch oder"
    " el los las del con para por una es muy más sus lo se al y"
    " não em uma um da dos das ao mais sem também você"
    " il di che della delle dei gli sono anche questo"
    " het een voor niet zijn ook bij naar dit deze".split()
)


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """'zh', 'en' or 'other'. Han characters win over Latin brand names ("Apple 无线耳机" is zh)."""
    sample = text[:400]  # the title and the start of the description decide; whole texts cost
    if sample.isascii():  # most English text: no script counting needed
        return _latin_language(sample.lower()) if _HAS_LETTER.search(sample) else "other"
    if _KANA_HANGUL.search(sample):
        return "other"
    encoded = sample.encode()
    latin = len(encoded.translate(None, _NOT_ASCII_LETTER))
    han = len(encoded) - len(encoded.translate(None, _HAN_LEAD))
    if han and han * 6 >= latin:
        return "zh"
    if latin == 0:
        return "other"  # Cyrillic, Greek, Arabic, Thai...
    return _latin_language(sample.lower())


def _latin_language(lowered: str) -> str:
    # Distinct stop words, matched by set intersection in C: per-word Python loops cost more than
    # the rest of the function. Words glued to punctuation ("the,") are missed, which is fine
    # for a vote.
    words = lowered.split()
    english = len(_ENGLISH.intersection(words))
    foreign = len(_FOREIGN.intersection(words))
    if foreign > english:
        return "other"
    if english == 0 and _FOREIGN_LETTERS.search(lowered):
        return "other"
    return "en"


_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z]+")
# Words that frame an English request and are not product or brand names.
_ENGLISH_FRAME = frozenset(
    "a about an and any are can could do does for have how i in is it me my of on please show"
    " tell that the there this to what when where which will with you your".split()
)


# Chinese question words and sentence-final particles: they frame a request, names rarely hold
# them ("有机" does not count, "有吗" does).
_CHINESE_FRAME = re.compile(
    r"[吗嗎呢]|有没有|有沒有|多少|怎么|怎麼|什么|什麼|哪[里裡儿兒个個些]|请问|請問|能不能|可以|是否|我想|我要"
)


def message_language(text: str) -> str:
    """``detect_language`` for a person's message, which may quote a name in the other script.

    Catalog text with Han characters is Chinese ("Apple 无线耳机"), but a customer who writes
    "Tell me about 小米蓝牙耳机" or "Is 小米手环 waterproof?" writes English around a Chinese
    name: with the Han runs taken out, the message is English when it starts with a Latin letter
    and holds an English framing word, or holds three of them anywhere. "这个 AirPods Pro 多少钱"
    stays Chinese, and so does "有 Apple Watch for kids 吗", where a long Latin name outweighs
    the Han characters but a Chinese question frames it.
    """
    language = detect_language(text)
    if language == "other" or not _HAN_RUN.search(text[:400]):
        return language
    rest = _HAN_RUN.sub(" ", text[:400]).lower()
    frame = sum(1 for word in _LATIN_WORD.findall(rest) if word in _ENGLISH_FRAME)
    starts_latin = bool(_HAS_LETTER.match(text.lstrip()))
    english = frame >= 3 or (starts_latin and frame >= 1)
    if language == "zh":
        return "en" if english else "zh"
    return "zh" if not english and _CHINESE_FRAME.search(text[:400]) else "en"
