"""The shop's policy rules as data: return window, final-sale categories, shipping fees and times.

Rules come from a JSON object in the shape of the demo shop's ``ground_truth.json`` "policies"
section (``shopmind.demo.policies.policy_facts``); a shop writes its own. Tools decide from these
rules in plain code, and every decision cites the rule keys it used (source kind ``policy``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopmind.core.errors import ConfigError

# Delivery regions recognised from an address or a question.
_REGION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cn_remote", ("xinjiang", "tibet", "新疆", "西藏", "乌鲁木齐", "拉萨")),
    (
        "cn_tier1",
        ("beijing", "shanghai", "guangzhou", "shenzhen", "北京", "上海", "广州", "深圳"),
    ),
    ("us_alaska_hawaii", ("alaska", "hawaii", "honolulu", "anchorage", ", ak ", ", hi ")),
    ("cn_other", ("china", "中国", "省", "市")),
    ("us_contiguous", ("united states", "usa", "u.s.", "美国")),
)
# Place names matched as whole words or as Chinese substrings, after the phrases above: the
# contiguous US states and mainland China's provinces and large cities, so "deliver to Texas"
# or "送到杭州" is recognised without the shop writing a gazetteer.
_US_STATES = [
    state.replace("_", " ")
    for state in (
        "alabama arizona arkansas california colorado connecticut delaware florida georgia idaho "
        "illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan "
        "minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania "
        "tennessee texas utah vermont virginia washington wisconsin wyoming america new_hampshire "
        "new_jersey new_mexico new_york north_carolina north_dakota rhode_island south_carolina "
        "south_dakota west_virginia"
    ).split()
]
_CN_PLACES = (
    "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 海南 四川 贵州 云南 "
    "陕西 甘肃 青海 内蒙古 广西 宁夏 天津 重庆 杭州 南京 苏州 无锡 宁波 温州 成都 武汉 西安 长沙 "
    "郑州 青岛 济南 厦门 福州 合肥 南昌 昆明 贵阳 南宁 海口 兰州 西宁 银川 呼和浩特 太原 石家庄 "
    "沈阳 大连 长春 哈尔滨 东莞 佛山 珠海 大陆 内地"
).split()
_PLACE_REGIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("us_contiguous", re.compile(r"\b(" + "|".join(_US_STATES) + r")\b")),
    ("cn_other", re.compile("|".join(_CN_PLACES))),
)
# "deliver/ship/send … to Place" (a capitalised name, so "to my house" is no destination) and
# "送到/寄到/发往…某地".
_DESTINATION_EN = re.compile(
    r"\b(?:deliver|ship|send|post|mail)\w*(?:\s+\w+){0,3}?\s+to\s+(?:the\s+)?"
    r"((?:[A-Z][\w'.-]*)(?:\s+[A-Z][\w'.-]*){0,3})"
)
_DESTINATION_ZH = re.compile(
    r"(?:送到|寄到|发到|运到|邮到|配送到|送货到|发货到|送往|寄往|发往|运往)"
    r"([^\s，。？！?!,、的吗么嘛呢了]{2,12}?)(?=吗|么|嘛|呢|的|去|需|要|多|几|怎|可|$|[，。？！?!,\s])"
)
_NOT_PLACES = re.compile(r"^(我|你|您|他|她|家|这|那|哪|公司|单位|学校|门口|楼下|附近|自提)")


@dataclass(frozen=True, slots=True)
class PolicyRules:
    """Typed policy facts. Money is a Decimal per currency code."""

    return_window_days: int
    return_window_starts: str
    return_condition: str
    final_sale: tuple[str, ...]
    refund_business_days: int
    return_shipping_fee: dict[str, Decimal]
    free_shipping_threshold: dict[str, Decimal]
    standard_shipping_fee: dict[str, Decimal]
    express_shipping_fee: dict[str, Decimal]
    delivery_days: dict[str, tuple[int, int]]
    dispatch_cutoff: str
    # Category paths (any language) of each final-sale key:
    # {"grocery": [["Grocery"], ["食品"]]}.
    final_sale_paths: dict[str, list[list[str]]] = field(default_factory=dict)

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], categories: dict[str, Any] | None = None
    ) -> PolicyRules:
        """Rules from policy facts; ``categories`` maps category keys to {lang: path}."""
        try:
            paths: dict[str, list[list[str]]] = {}
            for key in data["final_sale"]:
                by_lang = (categories or {}).get(key) or {}
                paths[key] = [list(p) for p in by_lang.values()]
            return cls(
                return_window_days=int(data["return_window_days"]),
                return_window_starts=str(data.get("return_window_starts", "delivery")),
                return_condition=str(data.get("return_condition", "")),
                final_sale=tuple(str(k) for k in data["final_sale"]),
                refund_business_days=int(data["refund_processing_business_days"]),
                return_shipping_fee=_money(data["return_shipping_fee"]),
                free_shipping_threshold=_money(data["free_shipping_threshold"]),
                standard_shipping_fee=_money(data["standard_shipping_fee"]),
                express_shipping_fee=_money(data["express_shipping_fee"]),
                delivery_days={k: (int(v[0]), int(v[1])) for k, v in data["delivery_days"].items()},
                dispatch_cutoff=str(data.get("same_day_dispatch_cutoff", "")),
                final_sale_paths=paths,
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ConfigError(
                f"policy rules are incomplete or malformed ({exc!r}): give return_window_days, "
                "final_sale, refund_processing_business_days, *_shipping_fee, "
                "free_shipping_threshold and delivery_days"
            ) from exc

    @classmethod
    def load(cls, path: Path) -> PolicyRules:
        """Rules from a JSON file: policy facts, or a ground_truth.json with "policies"."""
        if not path.is_file():
            raise ConfigError(f"no policy rules file at {path}")
        data = json.loads(path.read_text(encoding="utf-8"))
        if "policies" in data:
            return cls.from_dict(data["policies"], data.get("categories"))
        return cls.from_dict(data, data.get("categories"))

    def final_sale_key(self, category_path: list[str], tags: list[str]) -> str | None:
        """The final-sale rule a product falls under, or None."""
        lowered_tags = {t.lower().replace("_", " ").replace("-", " ") for t in tags}
        if lowered_tags & {"final sale", "marked final sale", "最终销售"}:
            return "marked_final_sale"
        for key, paths in self.final_sale_paths.items():
            for path in paths:
                if path and category_path[: len(path)] == path:
                    return key
        return None


def _money(table: dict[str, Any]) -> dict[str, Decimal]:
    return {str(k).upper(): Decimal(str(v)) for k, v in table.items()}


def region_of(text: str) -> str | None:
    """The delivery region an address or question names, or None."""
    lowered = " " + re.sub(r"\s+", " ", text.lower()) + " "
    for region, words in _REGION_WORDS:
        if any(word in lowered for word in words):
            return region
    for region, pattern in _PLACE_REGIONS:
        if pattern.search(lowered):
            return region
    return None


def destination_of(text: str) -> str | None:
    """The place a shipping question names ("ship to Canada", "寄到日本吗"), or None.

    Only what reads as a place is returned (a capitalised name, or Chinese text that is not a
    pronoun or "home"), so the caller can tell "we don't list that place" from "no place named".
    """
    for pattern in (_DESTINATION_EN, _DESTINATION_ZH):
        found = pattern.search(text)
        if found and not _NOT_PLACES.match(found.group(1)):
            place = found.group(1).strip(" .")
            # "US" is a pronoun in lower case, so region_of does not read it; here it is a place.
            return "USA" if place.upper() in ("US", "U.S", "U.S.A") else place
    return None
