"""Customers and their hidden tastes: preferred categories, a price band and a language.

The preferences never reach customers.jsonl; they drive behaviour and are written only to
ground_truth.json, so later capabilities can be scored on recovering them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from shopmind.demo.catalog import BANDS
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.clock import CATALOG_START, CUSTOMERS_END, iso

_ZH_SURNAMES = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("林", "lin"),
)
_ZH_GIVEN = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("洋", "yang"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("秀英", "xiuying"),
    ("晓东", "xiaodong"),
    ("子涵", "zihan"),
    ("雨桐", "yutong"),
    ("浩然", "haoran"),
    ("欣怡", "xinyi"),
    ("思远", "siyuan"),
    ("佳琪", "jiaqi"),
)
_EN_FIRST = (
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Ethan",
    "Sophia",
    "Mason",
    "Mia",
    "Lucas",
    "Chloe",
    "Owen",
    "Grace",
    "Caleb",
    "Zoe",
    "Isaac",
    "Nora",
    "Julian",
    "Hazel",
    "Miles",
)
_EN_LAST = (
    "Johnson",
    "Miller",
    "Garcia",
    "Brooks",
    "Bennett",
    "Carter",
    "Foster",
    "Hayes",
    "Morgan",
    "Reed",
    "Sullivan",
    "Turner",
    "Walsh",
    "Hughes",
    "Porter",
    "Ellis",
    "Griffin",
    "Price",
)
_ZH_CITIES = (
    ("cn_tier1", "北京市朝阳区", "100020"),
    ("cn_tier1", "上海市浦东新区", "200120"),
    ("cn_tier1", "广州市天河区", "510620"),
    ("cn_tier1", "深圳市南山区", "518052"),
    ("cn_other", "杭州市西湖区", "310012"),
    ("cn_other", "成都市武侯区", "610041"),
    ("cn_other", "武汉市洪山区", "430070"),
    ("cn_other", "南京市鼓楼区", "210008"),
    ("cn_other", "西安市雁塔区", "710061"),
    ("cn_other", "长沙市岳麓区", "410006"),
    ("cn_remote", "乌鲁木齐市天山区", "830000"),
    ("cn_remote", "拉萨市城关区", "850000"),
)
_ZH_CITY_WEIGHTS = (9, 9, 8, 8, 9, 9, 8, 8, 8, 8, 3, 2)
_ZH_STREETS = ("建设路", "人民路", "中山路", "解放路", "文化路", "和平路", "青年路", "光明街")
_EN_CITIES = (
    ("us_contiguous", "Springfield, IL 62704"),
    ("us_contiguous", "Portland, OR 97205"),
    ("us_contiguous", "Austin, TX 78701"),
    ("us_contiguous", "Columbus, OH 43215"),
    ("us_contiguous", "Denver, CO 80202"),
    ("us_contiguous", "Raleigh, NC 27601"),
    ("us_contiguous", "Madison, WI 53703"),
    ("us_alaska_hawaii", "Anchorage, AK 99501"),
    ("us_alaska_hawaii", "Honolulu, HI 96813"),
)
_EN_CITY_WEIGHTS = (14, 14, 14, 14, 14, 14, 14, 4, 4)
_EN_STREETS = (
    "Maple Street",
    "Oak Avenue",
    "Cedar Lane",
    "Pine Road",
    "Elm Street",
    "Lakeview Drive",
    "Hillcrest Road",
    "Willow Way",
)
_PREFERENCE_COUNTS = (1, 2, 3)
_PREFERENCE_COUNT_WEIGHTS = (0.3, 0.45, 0.25)
_BAND_WEIGHTS = (0.35, 0.45, 0.2)
_CATEGORY_WEIGHTS = tuple(c.weight for c in CATEGORIES)


@dataclass(frozen=True)
class Persona:
    """Someone who shops: a registered customer (``id`` set) or an anonymous visitor."""

    index: int
    id: str | None
    language: int  # 0 zh, 1 en
    categories: tuple[int, ...]  # preferred category indexes, strongest first
    weights: tuple[float, ...]
    band: int
    created: int
    email: str
    name: str
    address: str
    region: str
    activity: float


def make_customers(count: int, seed: int, width: int) -> list[Persona]:
    """``count`` registered customers with hidden preferences."""
    rng = random.Random(f"{seed}:customers")
    return [_persona(rng, n, f"c{n + 1:0{width}d}") for n in range(count)]


def guest_persona(rng: random.Random, number: int) -> Persona:
    """An anonymous visitor: one passing interest, checks out as a guest if they buy."""
    persona = _persona(rng, number, None)
    return Persona(
        index=number,
        id=None,
        language=persona.language,
        categories=persona.categories[:1],
        weights=(1.0,),
        band=persona.band,
        created=CATALOG_START,
        email=f"guest{number + 1}@example.com",
        name=persona.name,
        address=persona.address,
        region=persona.region,
        activity=1.0,
    )


def customer_record(persona: Persona) -> dict[str, Any]:
    """The customer as ``Customer.model_dump(mode="json", exclude_none=True)`` would write it."""
    zh = persona.language == 0
    channel = ("web", "app", "mini_program" if zh else "web")[persona.index % 3]
    return {
        "id": persona.id,
        "email": persona.email,
        "name": persona.name,
        "locale": "zh-CN" if zh else "en-US",
        "country": "CN" if zh else "US",
        "created_at": iso(persona.created),
        "attributes": {"signup_channel": channel, "marketing_opt_in": persona.index % 4 != 0},
    }


def preference_truth(persona: Persona) -> dict[str, Any]:
    """What ground_truth.json records for one customer."""
    return {
        "preferred_categories": [CATEGORIES[c].key for c in persona.categories],
        "weights": list(persona.weights),
        "price_band": BANDS[persona.band],
        "language": "zh" if persona.language == 0 else "en",
    }


def _persona(rng: random.Random, number: int, customer_id: str | None) -> Persona:
    language = int(rng.random() < 0.5)
    categories, weights = _preferences(rng)
    band = rng.choices(range(3), weights=_BAND_WEIGHTS)[0]
    created = CATALOG_START + int(rng.random() * (CUSTOMERS_END - CATALOG_START))
    name, email_name = _name(rng, language)
    address, region = _address(rng, language, name)
    return Persona(
        index=number,
        id=customer_id,
        language=language,
        categories=categories,
        weights=weights,
        band=band,
        created=created,
        email=f"{email_name}{number + 1}@example.com",
        name=name,
        address=address,
        region=region,
        activity=rng.lognormvariate(0.0, 0.8),
    )


def _preferences(rng: random.Random) -> tuple[tuple[int, ...], tuple[float, ...]]:
    wanted = rng.choices(_PREFERENCE_COUNTS, weights=_PREFERENCE_COUNT_WEIGHTS)[0]
    chosen: list[int] = []
    while len(chosen) < wanted:
        pick = rng.choices(range(len(CATEGORIES)), weights=_CATEGORY_WEIGHTS)[0]
        if pick not in chosen:
            chosen.append(pick)
    raw = sorted((rng.gammavariate(2.0, 1.0) for _ in chosen), reverse=True)
    total = sum(raw)
    return tuple(chosen), tuple(round(w / total, 3) for w in raw)


def _name(rng: random.Random, language: int) -> tuple[str, str]:
    if language == 0:
        surname, given = rng.choice(_ZH_SURNAMES), rng.choice(_ZH_GIVEN)
        return surname[0] + given[0], f"{given[1]}.{surname[1]}"
    first, last = rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
    return f"{first} {last}", f"{first}.{last}".lower()


def _address(rng: random.Random, language: int, name: str) -> tuple[str, str]:
    number = rng.randint(1, 999)
    if language == 0:
        region, city, postcode = rng.choices(_ZH_CITIES, weights=_ZH_CITY_WEIGHTS)[0]
        street = rng.choice(_ZH_STREETS)
        flat = f"{rng.randint(1, 30)}栋{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
        return f"{name}\n{city}{street}{number}号{flat}\n{postcode}", region
    region, city = rng.choices(_EN_CITIES, weights=_EN_CITY_WEIGHTS)[0]
    street = rng.choice(_EN_STREETS)
    return f"{name}\n{number} {street}, Apt {rng.randint(1, 40)}\n{city}\nUnited States", region


def display_name(rng: random.Random, language: int) -> str:
    """How an unregistered reviewer signs: "Emma J." or "王**"."""
    if language == 0:
        return rng.choice(_ZH_SURNAMES)[0] + "**"
    return f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)[0]}."
