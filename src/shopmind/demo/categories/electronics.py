"""Phones accessories, audio and wearables: the invented brands and kinds of the demo shop."""

from __future__ import annotations

from shopmind.demo.catalog_types import (
    BASIC_COLOURS,
    COLOURS,
    WATER,
    Category,
    Fixed,
    Flag,
    IntRange,
    Kind,
    Pick,
    Words,
)

_CASE_MATERIALS = Words((("TPU", "TPU"), ("Silicone", "硅胶"), ("Vegan leather", "素皮")))

PHONE_ACCESSORIES = Category(
    key="phone_accessories",
    path_en=("Electronics", "Phone Accessories"),
    path_zh=("数码", "手机配件"),
    weight=1.3,
    brands=(
        ("Voltix", "Voltix"),
        ("Juneng", "聚能"),
        ("Chargemate", "Chargemate"),
        ("Lanshan", "蓝山"),
    ),
    kinds=(
        Kind(
            "power_bank",
            "{capacity_mah}mAh Fast-Charging Power Bank",
            "{capacity_mah}mAh 快充移动电源",
            ("Power Banks", "移动电源"),
            (15, 69),
            {
                "colour": BASIC_COLOURS,
                "capacity_mah": Pick((5000, 10000, 20000, 26800)),
                "wattage_w": Pick((18, 22, 30, 65)),
                "weight_g": IntRange(120, 480, 10),
            },
            axis=("colour",),
        ),
        Kind(
            "charger",
            "{wattage_w}W GaN Fast Charger",
            "{wattage_w}W 氮化镓快充充电器",
            ("Chargers", "充电器"),
            (12, 59),
            {
                "colour": BASIC_COLOURS,
                "wattage_w": Pick((20, 33, 65, 100)),
                "ports": IntRange(1, 3),
            },
            axis=("colour",),
        ),
        Kind(
            "phone_case",
            "Shockproof Phone Case",
            "防摔手机壳",
            ("Phone Cases", "手机壳"),
            (6, 29),
            {
                "colour": COLOURS,
                "material": _CASE_MATERIALS,
                "compatible_model": Pick(("Nova 12", "Nova 12 Pro", "Orbit 8", "Orbit 8 Max")),
            },
            axis=("colour",),
        ),
        Kind(
            "cable",
            "Braided USB-C Charging Cable, {length_m} m",
            "USB-C 编织快充数据线 {length_m}米",
            ("Cables", "数据线"),
            (5, 19),
            {
                "colour": BASIC_COLOURS,
                "length_m": Pick((1.0, 1.5, 2.0)),
                "wattage_w": Pick((60, 100)),
            },
        ),
    ),
    queries_en=("power bank", "fast charger", "phone case", "usb c cable", "portable charger"),
    queries_zh=("充电宝", "快充充电器", "手机壳", "数据线", "移动电源"),
    use=("daily commutes, travel and long days away from a socket", "通勤、出差和长时间在外的日子"),
    care=(
        "Keep it away from heat, moisture and sharp objects.",
        "请远离高温、潮湿和尖锐物品。",
    ),
    group="electronics",
    tags=(("charging", "充电"), ("accessories", "配件")),
)

AUDIO = Category(
    key="audio",
    path_en=("Electronics", "Audio"),
    path_zh=("数码", "音频"),
    weight=1.4,
    brands=(
        ("Aurora", "Aurora"),
        ("Shengyue", "声悦"),
        ("Bassline", "Bassline"),
        ("Qingting", "蜻蜓"),
    ),
    kinds=(
        Kind(
            "anc_headphones",
            "Noise-Cancelling Bluetooth Headphones",
            "降噪蓝牙耳机",
            ("Headphones", "头戴式耳机"),
            (39, 349),
            {
                "colour": BASIC_COLOURS,
                "wireless": Fixed(True),
                "noise_cancelling": Fixed(True),
                "battery_hours": IntRange(20, 60, 5),
                "weight_g": IntRange(180, 320, 5),
            },
            axis=("colour",),
        ),
        Kind(
            "earbuds",
            "True Wireless Earbuds",
            "真无线蓝牙耳机",
            ("Earbuds", "入耳式耳机"),
            (19, 199),
            {
                "colour": BASIC_COLOURS,
                "wireless": Fixed(True),
                "noise_cancelling": Flag(0.5),
                "battery_hours": IntRange(5, 10),
                "water_resistance": WATER,
            },
            axis=("colour",),
        ),
        Kind(
            "wired_earphones",
            "Wired In-Ear Earphones",
            "有线入耳式耳机",
            ("Earbuds", "入耳式耳机"),
            (8, 49),
            {"colour": BASIC_COLOURS, "wireless": Fixed(False), "weight_g": IntRange(12, 30)},
        ),
        Kind(
            "speaker",
            "Portable Bluetooth Speaker",
            "便携蓝牙音箱",
            ("Speakers", "音箱"),
            (25, 199),
            {
                "colour": COLOURS,
                "wireless": Fixed(True),
                "battery_hours": IntRange(8, 24, 2),
                "water_resistance": WATER,
            },
            axis=("colour",),
        ),
    ),
    queries_en=(
        "noise cancelling headphones",
        "wireless earbuds",
        "bluetooth speaker",
        "headphones",
        "earphones",
    ),
    queries_zh=("降噪耳机", "蓝牙耳机", "无线耳机", "蓝牙音箱", "头戴式耳机"),
    use=("commutes, workouts and long flights", "通勤、运动和长途飞行"),
    care=("Keep it dry and wipe it clean with a soft cloth.", "请保持干燥，并用软布擦拭清洁。"),
    group="electronics",
    tags=(("audio", "音频"), ("bluetooth", "蓝牙")),
)

WEARABLES = Category(
    key="wearables",
    path_en=("Electronics", "Wearables"),
    path_zh=("数码", "智能穿戴"),
    weight=0.9,
    brands=(("Pulsar", "Pulsar"), ("Xingyun", "星云"), ("Kinetica", "Kinetica")),
    kinds=(
        Kind(
            "smartwatch",
            "Smartwatch with GPS",
            "GPS 智能手表",
            ("Smartwatches", "智能手表"),
            (79, 399),
            {
                "colour": BASIC_COLOURS,
                "screen_inches": Pick((1.4, 1.6, 1.9)),
                "battery_days": IntRange(2, 14),
                "water_resistance": Pick(("3ATM", "5ATM")),
                "gps": Fixed(True),
                "heart_rate": Fixed(True),
            },
            axis=("colour",),
        ),
        Kind(
            "fitness_band",
            "Fitness Tracker Band",
            "智能运动手环",
            ("Fitness Trackers", "运动手环"),
            (19, 79),
            {
                "colour": COLOURS,
                "battery_days": IntRange(7, 21),
                "heart_rate": Flag(0.7),
                "gps": Fixed(False),
            },
            axis=("colour",),
        ),
    ),
    queries_en=("smartwatch", "fitness tracker", "gps watch", "smart band"),
    queries_zh=("智能手表", "运动手环", "GPS手表", "智能手环"),
    use=("training, sleep tracking and everyday notifications", "运动训练、睡眠监测和日常消息提醒"),
    care=("Rinse the strap after sweaty workouts.", "运动出汗后请冲洗表带。"),
    group="electronics",
    tags=(("wearables", "穿戴"), ("fitness", "健身")),
)
