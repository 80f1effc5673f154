"""Sports and outdoors, grocery, pet supplies and baby: invented brands and kinds."""

from __future__ import annotations

from shopmind.demo.catalog_types import (
    BASIC_COLOURS,
    COLOURS,
    Category,
    Fixed,
    Flag,
    IntRange,
    Kind,
    Pick,
    Words,
)

SPORTS_OUTDOORS = Category(
    key="sports_outdoors",
    path_en=("Sports & Outdoors",),
    path_zh=("运动户外",),
    weight=1.0,
    brands=(
        ("Summitry", "Summitry"),
        ("Yuedong", "悦动"),
        ("Peakline", "Peakline"),
        ("Shanye", "山野"),
    ),
    kinds=(
        Kind(
            "yoga_mat",
            "Non-Slip Yoga Mat, {thickness_mm} mm",
            "防滑瑜伽垫 {thickness_mm}毫米",
            ("Yoga", "瑜伽"),
            (15, 69),
            {
                "colour": COLOURS,
                "thickness_mm": Pick((4, 6, 8, 10)),
                "material": Words(
                    (("TPE", "TPE"), ("Natural rubber", "天然橡胶"), ("NBR foam", "NBR"))
                ),
            },
            axis=("colour",),
        ),
        Kind(
            "tent",
            "{capacity_people}-Person Camping Tent",
            "{capacity_people}人露营帐篷",
            ("Camping", "露营"),
            (49, 299),
            {
                "capacity_people": Pick((2, 3, 4, 6)),
                "waterproof": Fixed(True),
                "weight_g": IntRange(1800, 6500, 100),
            },
        ),
        Kind(
            "backpack",
            "Hiking Backpack, {capacity_l} L",
            "户外登山包 {capacity_l}升",
            ("Backpacks", "背包"),
            (29, 149),
            {
                "colour": BASIC_COLOURS,
                "capacity_l": Pick((20, 30, 40, 50)),
                "waterproof": Flag(0.4),
            },
            axis=("colour",),
        ),
        Kind(
            "dumbbells",
            "Adjustable Dumbbell Set, {max_weight_kg} kg",
            "可调节哑铃套装 {max_weight_kg}公斤",
            ("Fitness Equipment", "健身器材"),
            (39, 249),
            {"max_weight_kg": Pick((10, 20, 30, 40))},
        ),
    ),
    queries_en=("yoga mat", "camping tent", "hiking backpack", "dumbbells", "home gym"),
    queries_zh=("瑜伽垫", "露营帐篷", "登山包", "哑铃", "健身器材"),
    use=("home workouts, camping trips and hiking", "居家健身、露营和徒步"),
    care=("Dry everything fully before storing it.", "收纳前请彻底晾干。"),
    group="general",
    tags=(("outdoors", "户外"), ("fitness", "健身")),
)

GROCERY = Category(
    key="grocery",
    path_en=("Grocery", "Snacks"),
    path_zh=("食品", "零食"),
    weight=1.0,
    brands=(
        ("Nutfield", "Nutfield"),
        ("Guoyuan", "果园记"),
        ("Highland Leaf", "Highland Leaf"),
        ("Chaxiang", "茶香坊"),
    ),
    kinds=(
        Kind(
            "mixed_nuts",
            "Roasted Mixed Nuts, {net_weight_g} g",
            "每日坚果 {net_weight_g}克",
            ("Nuts & Seeds", "坚果炒货"),
            (6, 29),
            {
                "net_weight_g": Pick((250, 500, 750)),
                "shelf_life_days": Pick((180, 270, 365)),
                "flavour": Words(
                    (
                        ("Original", "原味"),
                        ("Lightly salted", "淡盐"),
                        ("Honey roasted", "蜂蜜烘烤"),
                    )
                ),
            },
        ),
        Kind(
            "tea",
            "{tea_kind} Tea, {net_weight_g} g",
            "{tea_kind} {net_weight_g}克",
            ("Tea", "茶叶"),
            (8, 59),
            {
                "tea_kind": Words(
                    (
                        ("Jasmine Green", "茉莉绿茶"),
                        ("Oolong", "乌龙茶"),
                        ("Black", "红茶"),
                        ("White", "白茶"),
                    )
                ),
                "net_weight_g": Pick((100, 250, 500)),
                "shelf_life_days": Pick((540, 720)),
            },
        ),
        Kind(
            "coffee_beans",
            "Whole Bean Coffee, {roast} Roast, {net_weight_g} g",
            "{roast}烘焙咖啡豆 {net_weight_g}克",
            ("Coffee", "咖啡"),
            (9, 39),
            {
                "roast": Words((("Light", "浅"), ("Medium", "中度"), ("Dark", "深"))),
                "net_weight_g": Pick((250, 500, 1000)),
                "shelf_life_days": Fixed(365),
            },
        ),
        Kind(
            "butter_cookies",
            "Butter Cookies Gift Tin, {net_weight_g} g",
            "黄油曲奇礼盒 {net_weight_g}克",
            ("Biscuits & Cookies", "饼干糕点"),
            (5, 25),
            {"net_weight_g": Pick((400, 681, 908)), "shelf_life_days": Pick((270, 365))},
        ),
    ),
    queries_en=("mixed nuts", "oolong tea", "coffee beans", "butter cookies", "healthy snacks"),
    queries_zh=("坚果", "乌龙茶", "咖啡豆", "曲奇", "零食大礼包"),
    use=("afternoon breaks and gifting", "下午茶和送礼"),
    care=(
        "Reseal after opening and keep somewhere cool and dry.",
        "开封后请密封，置于阴凉干燥处。",
    ),
    group="food",
    series=False,
    tags=(("snacks", "零食"), ("food", "食品")),
)

PET_SUPPLIES = Category(
    key="pet_supplies",
    path_en=("Pet Supplies",),
    path_zh=("宠物用品",),
    weight=0.9,
    brands=(("Pawsome", "Pawsome"), ("Mengchong", "萌宠家"), ("Whiskerly", "Whiskerly")),
    kinds=(
        Kind(
            "dog_food",
            "Grain-Free Dog Food, {net_weight_kg} kg",
            "无谷物全价狗粮 {net_weight_kg}公斤",
            ("Dog Food", "狗粮"),
            (19, 89),
            {
                "net_weight_kg": Pick((2, 5, 10)),
                "life_stage": Words((("Puppy", "幼犬"), ("Adult", "成犬"), ("Senior", "老年犬"))),
            },
        ),
        Kind(
            "cat_litter",
            "Clumping Tofu Cat Litter, {net_weight_kg} kg",
            "豆腐结团猫砂 {net_weight_kg}公斤",
            ("Cat Litter", "猫砂"),
            (8, 29),
            {"net_weight_kg": Pick((2.5, 6, 10))},
        ),
        Kind(
            "chew_toy",
            "Durable Chew Toy for Dogs",
            "耐咬狗狗磨牙玩具",
            ("Pet Toys", "宠物玩具"),
            (5, 19),
            {"colour": COLOURS, "material": Words((("Natural rubber", "天然橡胶"),))},
            axis=("colour",),
        ),
        Kind(
            "pet_bed",
            "Calming Pet Bed, Size {size}",
            "宠物安抚窝 {size}号",
            ("Beds", "宠物窝垫"),
            (19, 79),
            {
                "size": Pick(("S", "M", "L")),
                "colour": Words(COLOURS.pairs[2:3] + COLOURS.pairs[8:10]),
            },
            axis=("size",),
        ),
    ),
    queries_en=("dog food", "cat litter", "dog chew toy", "pet bed", "grain free dog food"),
    queries_zh=("狗粮", "猫砂", "狗狗玩具", "宠物窝", "豆腐猫砂"),
    use=("happy, healthy pets at home", "让毛孩子在家健康快乐"),
    care=(
        "Check items for wear now and then and replace them when worn.",
        "请定期检查磨损情况，及时更换。",
    ),
    group="general",
    sized=True,
    series=False,
    tags=(("pets", "宠物"), ("pet care", "宠物护理")),
)

BABY = Category(
    key="baby",
    path_en=("Baby",),
    path_zh=("母婴",),
    weight=0.8,
    brands=(("Cuddlebug", "Cuddlebug"), ("Beibei", "贝贝乐"), ("Little Oak", "Little Oak")),
    kinds=(
        Kind(
            "diapers",
            "Ultra-Soft Diapers, Size {diaper_size}, {pieces} Count",
            "超薄透气纸尿裤 {diaper_size}码 {pieces}片",
            ("Diapers", "纸尿裤"),
            (15, 45),
            {"diaper_size": Pick(("S", "M", "L", "XL")), "pieces": Pick((48, 64, 96))},
            axis=("diaper_size",),
        ),
        Kind(
            "baby_bottle",
            "Anti-Colic Baby Bottle, {capacity_ml} ml",
            "防胀气婴儿奶瓶 {capacity_ml}ml",
            ("Feeding", "喂养"),
            (8, 29),
            {
                "capacity_ml": Pick((160, 240, 300)),
                "material": Words((("Glass", "玻璃"), ("PPSU", "PPSU"), ("Silicone", "硅胶"))),
            },
        ),
        Kind(
            "stroller",
            "Lightweight Foldable Stroller",
            "轻便折叠婴儿推车",
            ("Strollers", "婴儿推车"),
            (99, 499),
            {
                "colour": BASIC_COLOURS,
                "weight_g": IntRange(5000, 9000, 100),
                "max_load_kg": Fixed(22),
            },
            axis=("colour",),
        ),
    ),
    queries_en=("diapers", "baby bottle", "stroller", "newborn essentials", "anti colic bottle"),
    queries_zh=("纸尿裤", "奶瓶", "婴儿推车", "新生儿用品", "防胀气奶瓶"),
    use=("busy days with a little one", "带娃的忙碌日常"),
    care=(
        "Check it regularly and follow the age guidance on the label.",
        "请定期检查，并按标签上的适用年龄使用。",
    ),
    group="general",
    sized=True,
    series=False,
    tags=(("baby", "母婴"), ("newborn", "新生儿")),
)
