"""Apparel, shoes and skincare: the invented brands and kinds of the demo shop."""

from __future__ import annotations

from shopmind.demo.catalog_types import (
    BASIC_COLOURS,
    COLOURS,
    GENDERS,
    SHOE_SIZES,
    SIZES,
    Category,
    Fixed,
    Flag,
    IntRange,
    Kind,
    Pick,
    Words,
)

_COTTON = Words((("Cotton", "纯棉"),))

_SKIN = Words(
    (
        ("All skin types", "所有肤质"),
        ("Dry skin", "干性肌肤"),
        ("Oily skin", "油性肌肤"),
        ("Sensitive skin", "敏感肌"),
    )
)

APPAREL = Category(
    key="apparel",
    path_en=("Apparel",),
    path_zh=("服饰",),
    weight=1.4,
    brands=(
        ("Linmu", "林木"),
        ("Northway", "Northway"),
        ("Yunshang", "云裳"),
        ("Basicly", "Basicly"),
    ),
    kinds=(
        Kind(
            "t_shirt",
            "{gender} Cotton Crew-Neck T-Shirt",
            "{gender}纯棉圆领T恤",
            ("T-Shirts", "T恤"),
            (9, 39),
            {"gender": GENDERS, "colour": COLOURS, "size": SIZES, "material": _COTTON},
            axis=("colour", "size"),
        ),
        Kind(
            "hoodie",
            "{gender} Fleece Hoodie",
            "{gender}加绒连帽卫衣",
            ("Hoodies", "卫衣"),
            (25, 79),
            {
                "gender": GENDERS,
                "colour": COLOURS,
                "size": SIZES,
                "material": Words((("Cotton-polyester fleece", "棉涤加绒"),)),
            },
            axis=("colour", "size"),
        ),
        Kind(
            "down_jacket",
            "{gender} Lightweight Down Jacket",
            "{gender}轻薄羽绒服",
            ("Jackets", "外套"),
            (59, 249),
            {
                "gender": GENDERS,
                "colour": BASIC_COLOURS,
                "size": SIZES,
                "material": Words((("Nylon shell, 90% duck down", "尼龙面料，90%鸭绒"),)),
            },
            axis=("colour", "size"),
        ),
        Kind(
            "jeans",
            "{gender} Slim-Fit Jeans",
            "{gender}修身牛仔裤",
            ("Jeans", "牛仔裤"),
            (29, 99),
            {
                "gender": GENDERS,
                "colour": Words(
                    (("Indigo", "深蓝色"), ("Black", "黑色"), ("Light blue", "浅蓝色"))
                ),
                "size": SIZES,
                "material": Words((("Stretch denim", "弹力牛仔布"),)),
            },
            axis=("size",),
        ),
    ),
    queries_en=("t shirt", "hoodie", "down jacket", "slim fit jeans", "cotton tee"),
    queries_zh=("纯棉T恤", "卫衣", "羽绒服", "牛仔裤", "短袖"),
    use=("everyday wear, weekends and travel", "日常通勤、周末出游和旅行"),
    care=("Machine-wash cold inside out and hang to dry.", "建议反面冷水机洗，悬挂晾干。"),
    group="apparel",
    sized=True,
    series=False,
    tags=(("fashion", "时尚"), ("clothing", "服装")),
)

SHOES = Category(
    key="shoes",
    path_en=("Shoes",),
    path_zh=("鞋靴",),
    weight=1.1,
    brands=(
        ("Stride", "Stride"),
        ("Feixing", "飞行"),
        ("Trailborn", "Trailborn"),
        ("Qingbu", "轻步"),
    ),
    kinds=(
        Kind(
            "running_shoes",
            "{gender} Cushioned Running Shoes",
            "{gender}缓震跑步鞋",
            ("Running Shoes", "跑步鞋"),
            (39, 179),
            {
                "gender": GENDERS,
                "colour": BASIC_COLOURS,
                "shoe_size": SHOE_SIZES,
                "weight_g": IntRange(220, 320, 5),
            },
            axis=("colour", "shoe_size"),
        ),
        Kind(
            "sneakers",
            "{gender} Canvas Sneakers",
            "{gender}帆布休闲鞋",
            ("Sneakers", "休闲鞋"),
            (25, 89),
            {
                "gender": GENDERS,
                "colour": COLOURS,
                "shoe_size": SHOE_SIZES,
                "material": Words((("Canvas", "帆布"),)),
            },
            axis=("colour", "shoe_size"),
        ),
        Kind(
            "hiking_boots",
            "Waterproof Hiking Boots",
            "防水登山靴",
            ("Boots", "靴子"),
            (69, 229),
            {
                "colour": Words((("Brown", "棕色"), ("Black", "黑色"), ("Olive", "橄榄绿"))),
                "shoe_size": SHOE_SIZES,
                "waterproof": Fixed(True),
                "weight_g": IntRange(480, 720, 10),
            },
            axis=("shoe_size",),
        ),
        Kind(
            "sandals",
            "{gender} Summer Sandals",
            "{gender}夏季凉鞋",
            ("Sandals", "凉鞋"),
            (12, 49),
            {"gender": GENDERS, "colour": COLOURS, "shoe_size": SHOE_SIZES},
            axis=("shoe_size",),
        ),
    ),
    queries_en=("running shoes", "sneakers", "hiking boots", "sandals", "waterproof boots"),
    queries_zh=("跑步鞋", "运动鞋", "登山鞋", "凉鞋", "小白鞋"),
    use=("daily runs, city walks and weekend trails", "日常跑步、城市漫步和周末徒步"),
    care=("Let them air-dry away from direct heat.", "请自然阴干，避免暴晒或烘烤。"),
    group="apparel",
    sized=True,
    tags=(("shoes", "鞋子"), ("footwear", "鞋靴")),
)

BEAUTY = Category(
    key="beauty",
    path_en=("Beauty", "Skincare"),
    path_zh=("美妆", "护肤"),
    weight=1.2,
    brands=(
        ("Dewpoint", "Dewpoint"),
        ("Xueyan", "雪颜"),
        ("Petalry", "Petalry"),
        ("Caoben", "草本集"),
    ),
    kinds=(
        Kind(
            "face_cream",
            "Hydrating Face Cream, {volume_ml} ml",
            "保湿面霜 {volume_ml}ml",
            ("Moisturisers", "面霜"),
            (12, 89),
            {"volume_ml": Pick((30, 50, 100)), "skin_type": _SKIN, "fragrance_free": Flag(0.5)},
        ),
        Kind(
            "serum",
            "Vitamin C Brightening Serum, {volume_ml} ml",
            "维C亮肤精华液 {volume_ml}ml",
            ("Serums", "精华"),
            (15, 99),
            {"volume_ml": Pick((15, 30, 50)), "skin_type": _SKIN, "fragrance_free": Flag(0.7)},
        ),
        Kind(
            "sunscreen",
            "Lightweight Sunscreen SPF {spf}",
            "清爽防晒霜 SPF{spf}",
            ("Sunscreen", "防晒"),
            (9, 39),
            {"spf": Pick((30, 50)), "volume_ml": Pick((40, 50, 100)), "skin_type": _SKIN},
        ),
        Kind(
            "cleanser",
            "Gentle Foaming Cleanser, {volume_ml} ml",
            "温和氨基酸洁面乳 {volume_ml}ml",
            ("Cleansers", "洁面"),
            (8, 29),
            {"volume_ml": Pick((100, 150)), "skin_type": _SKIN, "fragrance_free": Flag(0.4)},
        ),
    ),
    queries_en=(
        "face cream",
        "vitamin c serum",
        "sunscreen",
        "cleanser",
        "moisturizer for dry skin",
    ),
    queries_zh=("面霜", "精华液", "防晒霜", "洁面乳", "补水保湿"),
    use=("a simple morning and evening routine", "早晚简单护肤"),
    care=(
        "Store below 25 °C and use within 12 months of opening.",
        "请存放于 25°C 以下，开封后 12 个月内用完。",
    ),
    group="beauty",
    series=False,
    tags=(("skincare", "护肤"), ("beauty", "美妆")),
)
