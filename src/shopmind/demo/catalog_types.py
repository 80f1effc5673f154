"""Shapes of the demo catalog vocabulary: categories, product kinds, attribute specs and labels."""

from __future__ import annotations

from dataclasses import dataclass, field

Scalar = str | int | float | bool
Pair = tuple[str, str]  # (English, Chinese)


@dataclass(frozen=True)
class Pick:
    """A language-neutral value drawn from a list (capacities, sizes)."""

    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class Words:
    """A bilingual value drawn from (English, Chinese) pairs (colours, materials)."""

    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class IntRange:
    low: int
    high: int
    step: int = 1


@dataclass(frozen=True)
class Flag:
    """True with probability ``p``."""

    p: float


@dataclass(frozen=True)
class Fixed:
    value: Scalar


AttrSpec = Pick | Words | IntRange | Flag | Fixed


@dataclass(frozen=True)
class Kind:
    """A kind of product within a category; ``en``/``zh`` title nouns may use {attribute} slots."""

    key: str
    en: str
    zh: str
    leaf: Pair
    price_usd: tuple[float, float]
    attrs: dict[str, AttrSpec]
    axis: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    key: str
    path_en: tuple[str, ...]
    path_zh: tuple[str, ...]
    weight: float
    brands: tuple[Pair, ...]
    kinds: tuple[Kind, ...]
    queries_en: tuple[str, ...]
    queries_zh: tuple[str, ...]
    use: Pair
    care: Pair
    group: str  # electronics, apparel, beauty, food, home, general: picks review phrases
    sized: bool = False
    series: bool = True
    books: bool = False
    tags: tuple[Pair, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Label:
    en: str
    zh: str
    unit_en: str = ""
    unit_zh: str = ""


COLOURS = Words(
    (
        ("Black", "黑色"),
        ("White", "白色"),
        ("Grey", "灰色"),
        ("Navy", "藏青色"),
        ("Blue", "蓝色"),
        ("Red", "红色"),
        ("Green", "绿色"),
        ("Pink", "粉色"),
        ("Beige", "米色"),
        ("Brown", "棕色"),
        ("Purple", "紫色"),
        ("Yellow", "黄色"),
    )
)
BASIC_COLOURS = Words(COLOURS.pairs[:5])
SIZES = Pick(("XS", "S", "M", "L", "XL", "XXL"))
SHOE_SIZES = Pick(tuple(range(36, 47)))
GENDERS = Words((("Men's", "男士"), ("Women's", "女士")))
WATER = Pick(("IPX4", "IPX5", "IPX7"))

LABELS: dict[str, Label] = {
    "colour": Label("Colour", "颜色"),
    "size": Label("Size", "尺码"),
    "shoe_size": Label("Size (EU)", "尺码（欧码）"),
    "gender": Label("Fit", "适用人群"),
    "material": Label("Material", "材质"),
    "capacity_mah": Label("Capacity", "容量", " mAh", "mAh"),
    "wattage_w": Label("Power", "功率", " W", "W"),
    "ports": Label("Ports", "接口数量", "", "个"),
    "length_m": Label("Length", "长度", " m", "米"),
    "compatible_model": Label("Fits", "适用机型"),
    "battery_hours": Label("Battery life", "续航", " hours", "小时"),
    "battery_days": Label("Battery life", "续航", " days", "天"),
    "battery_minutes": Label("Run time", "续航", " minutes", "分钟"),
    "weight_g": Label("Weight", "重量", " g", "克"),
    "water_resistance": Label("Water resistance", "防水等级"),
    "screen_inches": Label("Screen", "屏幕尺寸", " in", "英寸"),
    "volume_ml": Label("Volume", "容量", " ml", "ml"),
    "capacity_ml": Label("Capacity", "容量", " ml", "ml"),
    "capacity_l": Label("Capacity", "容量", " L", "升"),
    "skin_type": Label("Skin type", "适用肤质"),
    "spf": Label("SPF", "防晒指数"),
    "diameter_cm": Label("Diameter", "直径", " cm", "厘米"),
    "pieces": Label("Pieces", "数量", "", "件"),
    "age_min": Label("Recommended age", "适用年龄", "+", "岁以上"),
    "animal": Label("Character", "造型"),
    "height_cm": Label("Height", "高度", " cm", "厘米"),
    "thickness_mm": Label("Thickness", "厚度", " mm", "毫米"),
    "capacity_people": Label("Sleeps", "容纳人数", "", "人"),
    "max_weight_kg": Label("Maximum weight", "最大重量", " kg", "公斤"),
    "format": Label("Format", "装帧"),
    "pages": Label("Pages", "页数", "", "页"),
    "author": Label("Author", "作者"),
    "net_weight_g": Label("Net weight", "净含量", " g", "克"),
    "net_weight_kg": Label("Net weight", "净含量", " kg", "公斤"),
    "flavour": Label("Flavour", "口味"),
    "shelf_life_days": Label("Shelf life", "保质期", " days", "天"),
    "tea_kind": Label("Tea", "茶类"),
    "roast": Label("Roast", "烘焙度"),
    "life_stage": Label("Life stage", "适用阶段"),
    "diaper_size": Label("Size", "尺码"),
    "max_load_kg": Label("Maximum load", "最大承重", " kg", "公斤"),
    "width_cm": Label("Width", "宽度", " cm", "厘米"),
    "tiers": Label("Shelves", "层数", "", "层"),
    "seats": Label("Seats", "座位数", "", "人位"),
}

# Booleans read badly as "Wireless: yes"; each has its own sentence for true and for false.
BOOL_SENTENCES: dict[str, tuple[str, str, str, str]] = {
    "wireless": (
        "It connects over Bluetooth 5.3, so there are no cables to tangle.",
        "采用蓝牙 5.3 无线连接，告别线材缠绕。",
        "A classic wired connection means no charging and no pairing.",
        "有线连接，即插即用，无需充电和配对。",
    ),
    "noise_cancelling": (
        "Active noise cancelling shuts out traffic and engine hum.",
        "主动降噪有效隔绝地铁和飞机的轰鸣声。",
        "There is no active noise cancelling, which keeps the price down.",
        "不带主动降噪功能，价格更亲民。",
    ),
    "gps": (
        "Built-in GPS tracks runs and rides without your phone.",
        "内置 GPS，跑步骑行无需携带手机。",
        "It uses your phone's GPS to map outdoor workouts.",
        "户外运动轨迹通过手机 GPS 记录。",
    ),
    "heart_rate": (
        "A 24-hour heart-rate sensor keeps an eye on your resting pulse.",
        "支持 24 小时心率监测。",
        "It counts steps and sleep but does not measure heart rate.",
        "支持计步和睡眠监测，不含心率功能。",
    ),
    "fragrance_free": (
        "The formula is fragrance-free, a good choice for sensitive skin.",
        "无香精配方，敏感肌也可放心使用。",
        "It carries a light, fresh scent.",
        "带有淡淡的清新香气。",
    ),
    "induction_ready": (
        "The base works on induction, gas and electric hobs.",
        "锅底适用于电磁炉、燃气灶和电陶炉。",
        "It suits gas and electric hobs but not induction.",
        "适用于燃气灶和电陶炉，不支持电磁炉。",
    ),
    "waterproof": (
        "Taped seams and a waterproof coating keep the rain out.",
        "压胶接缝加防水涂层，雨天也不怕。",
        "It is water-resistant rather than fully waterproof.",
        "具备一定防泼水能力，但并非完全防水。",
    ),
    "adjustable_armrests": (
        "The armrests adjust in height and angle.",
        "扶手高度和角度均可调节。",
        "The armrests are fixed for a sturdier frame.",
        "固定扶手，结构更稳固。",
    ),
}
