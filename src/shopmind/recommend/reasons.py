"""Why an item is recommended, in the shopper's language: one template per reason code.

Surfaces record a reason as (code, values, anchor); the text is written once per shown item,
in Chinese or English. Clients that localise themselves read ``reason_code`` and ``anchor``.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "zh")
TEMPLATES: dict[str, dict[str, str]] = {
    "because_bought": {"en": "because you bought {title}", "zh": "因为您购买了{title}"},
    "because_in_cart": {
        "en": "because you added {title} to your cart",
        "zh": "因为您把{title}加入了购物车",
    },
    "because_saved": {"en": "because you saved {title}", "zh": "因为您收藏了{title}"},
    "because_viewed": {"en": "because you viewed {title}", "zh": "因为您浏览过{title}"},
    "your_taste": {
        "en": "popular in {category}, which you browse most",
        "zh": "您常逛的{category}中的热门商品",
    },
    "for_you": {"en": "recommended for you", "zh": "为您推荐"},
    "viewed_together": {"en": "viewed together with {title}", "zh": "常与{title}一起浏览"},
    "similar": {"en": "similar to {title}", "zh": "与{title}相似"},
    "bought_together": {
        "en": "bought together with {title} ({orders} orders)",
        "zh": "常与{title}一起购买（{orders}笔订单）",
    },
    "goes_with": {"en": "goes well with {title}", "zh": "与{title}搭配"},
    "trending_category": {"en": "trending in {category}", "zh": "{category}热销"},
    "trending_region": {
        "en": "trending in your region ({locale})",
        "zh": "您所在地区热销（{locale}）",
    },
    "trending": {"en": "trending now", "zh": "当前热销"},
}


def language_of(*candidates: str | None) -> str:
    """The first candidate (a locale such as 'zh-CN' or a language code) that we write in;
    English otherwise."""
    for value in candidates:
        language = (value or "").split("-")[0].split("_")[0].lower()
        if language in LANGUAGES:
            return language
    return "en"


def render(code: str, values: Mapping[str, object], language: str) -> str:
    """The reason's text; an unknown language falls back to English."""
    templates = TEMPLATES[code]
    return templates.get(language, templates["en"]).format(**values)
