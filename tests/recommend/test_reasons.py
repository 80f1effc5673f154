"""Reason templates: every code in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from shopmind.recommend.reasons import LANGUAGES, TEMPLATES, language_of, render


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_reason_has_each_language_with_the_same_placeholders(code: str) -> None:
    fields = {
        language: {f for _, f, _, _ in string.Formatter().parse(TEMPLATES[code][language]) if f}
        for language in LANGUAGES
    }
    assert fields["zh"] == fields["en"]
    values = {name: "X" for name in fields["en"]}
    assert render(code, values, "zh") != render(code, values, "en")


def test_language_follows_the_first_locale_we_write_in() -> None:
    assert language_of("zh-CN") == "zh" and language_of("zh_TW") == "zh"
    assert language_of(None, "zh") == "zh"
    assert language_of("fr-FR", "en") == "en"  # French reasons are not written: English
    assert language_of("de", None) == "en"
    assert render("similar", {"title": "Nova"}, "fr") == "similar to Nova"
