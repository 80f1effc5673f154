"""Text tools shared by ingestion and capabilities: hygiene, language, segmentation, PII."""

from shopmind.text.html import html_to_text
from shopmind.text.lang import detect_language, message_language
from shopmind.text.normalise import normalise_for_match, to_half_width
from shopmind.text.pii import PiiSpan, find_pii, is_valid_cn_id, luhn_ok, mask_pii
from shopmind.text.segment import Segmenter, add_terms, tokenize
from shopmind.text.unicode import clean_text, strip_invisible

__all__ = [
    "PiiSpan",
    "Segmenter",
    "add_terms",
    "clean_text",
    "detect_language",
    "find_pii",
    "html_to_text",
    "is_valid_cn_id",
    "luhn_ok",
    "mask_pii",
    "message_language",
    "normalise_for_match",
    "strip_invisible",
    "to_half_width",
    "tokenize",
]
