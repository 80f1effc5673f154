"""Word segmentation for catalog and query text: Chinese through jieba, everything else by regex.

Text is first normalised for matching (NFKC, case-folded), so full-width ｉＰｈｏｎｅ and iPhone
give the same tokens. Runs of letters and digits are cut where the script changes; Han pieces go to
jieba's precise mode, the others are tokens as they stand ("256gb", "2.5mm"). So "2.5mm耳机" and
"2.5mm 耳机" give the same tokens, which jieba alone does not (it cuts "2.5", "mm").

jieba keeps its dictionary in a `Tokenizer`; we use our own instance, never the module-global
one, so catalog terms added here do not leak into other jieba users in the process and theirs do
not leak into ours. Its prefix dictionary (about 1 s and 70 MB to build) is built on the
first call that needs it, not at import.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from shopmind.text.lang import detect_language
from shopmind.text.normalise import normalise_for_match

_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{_HAN_CHARS}]")
_BY_SCRIPT = re.compile(f"[{_HAN_CHARS}]+|[^{_HAN_CHARS}]+")
# Letters and digits, keeping decimals ("2.5mm") and apostrophes ("women's") inside a token.
_RUN = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*")
_LANGS = (None, "zh", "en", "other")


class Segmenter:
    """A jieba dictionary plus the catalog terms added to it.

    The module functions share one; create another where tenants need different term lists.
    Thread-safe: the dictionary is built once under a lock, and added terms are serialised.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jieba: Any = None  # jieba.Tokenizer; jieba ships no type hints

    def tokenize(self, text: str, *, lang: str | None = None) -> list[str]:
        """Lower-cased word tokens of `text`; see the module `tokenize`."""
        if lang not in _LANGS:
            raise ValueError(f"lang must be one of {_LANGS}, got {lang!r}")
        tokens: list[str] = []
        for run in _RUN.findall(normalise_for_match(text)):
            if not _HAN.search(run):
                tokens.append(run)
                continue
            for piece in _BY_SCRIPT.findall(run):
                tokens.extend(self._piece_tokens(piece, text, lang))
        return tokens

    def _piece_tokens(self, piece: str, text: str, lang: str | None) -> list[str]:
        if not _HAN.match(piece):
            piece = piece.strip(".'’")  # "2." of "2.耳机" was joined as if a decimal followed
            return [piece] if piece else []
        if (lang or detect_language(text)) == "other":
            return [piece]  # kanji in Japanese text: a Chinese dictionary would cut it wrongly
        return list(self._tokenizer().cut(piece))

    def add_terms(self, terms: Iterable[str]) -> None:
        """Keep each term's Han part (brand, product word) as one token from now on.

        Latin and digit parts are single tokens anyway and are cut from the Han ones, so
        "小米13" keeps "小米" whole and "AirPods Pro" needs nothing.
        """
        words = [
            piece
            for term in terms
            for piece in _BY_SCRIPT.findall(normalise_for_match(term))
            if len(piece) > 1 and _HAN.match(piece)
        ]
        if not words:
            return
        tokenizer = self._tokenizer()
        with self._lock:
            for word in words:
                tokenizer.add_word(word)

    def _tokenizer(self) -> Any:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = _build_tokenizer()
        return self._jieba


def _build_tokenizer() -> Any:
    import jieba  # ~0.3 s to import: only when Chinese text first needs it

    # jieba hangs its own stderr handler on its logger at import; drop it so its records go
    # through the application's logging setup, at the level the application chose.
    jieba.default_logger.removeHandler(jieba.log_console)
    jieba.default_logger.setLevel(logging.NOTSET)
    tokenizer = jieba.Tokenizer()
    # Tokenizer.initialize() would load or write a marshal cache in the shared temp directory,
    # where anyone can plant one; marshal is not safe on untrusted data. Building from the
    # dictionary shipped in the package costs about 1 s, once per process.
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tokenizer.initialized = True
    return tokenizer


_DEFAULT = Segmenter()


def tokenize(text: str, *, lang: str | None = None) -> list[str]:
    """Word tokens, lower-cased: "iPhone 15 Pro 256GB" -> ["iphone", "15", "pro", "256gb"].

    Chinese is segmented by jieba's precise mode ("降噪蓝牙耳机" -> ["降噪", "蓝牙", "耳机"]).
    Punctuation and spaces are dropped. `lang` ("zh", "en", "other") skips detection when the
    caller knows it; for "other" (Japanese), Han runs are kept whole rather than cut with a
    Chinese dictionary.
    """
    return _DEFAULT.tokenize(text, lang=lang)


def add_terms(terms: Iterable[str]) -> None:
    """Add catalog terms (brands, product words such as "极光降噪耳机") that must stay one token.

    Affects every later `tokenize` call in the process; index text again after adding terms.
    """
    _DEFAULT.add_terms(terms)
