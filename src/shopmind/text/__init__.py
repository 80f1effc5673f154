"""Text hygiene shared by ingestion and capabilities."""

from shopmind.text.html import html_to_text
from shopmind.text.lang import detect_language
from shopmind.text.unicode import clean_text, strip_invisible

__all__ = ["clean_text", "detect_language", "html_to_text", "strip_invisible"]
