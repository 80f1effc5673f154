"""Home and kitchen, furniture, toys and books: the invented brands and kinds of the demo shop."""

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

HOME_KITCHEN = Category(
    key="home_kitchen",
    path_en=("Home & Kitchen",),
    path_zh=("家居厨房",),
    weight=1.2,
    brands=(
        ("Hearthly", "Hearthly"),
        ("Jiayi", "家宜"),
        ("Copperleaf", "Copperleaf"),
        ("Muchen", "木辰"),
    ),
    kinds=(
        Kind(
            "frying_pan",
            "Non-Stick Frying Pan, {diameter_cm} cm",
            "不粘煎锅 {diameter_cm}厘米",
            ("Cookware", "锅具"),
            (19, 89),
            {
                "diameter_cm": Pick((24, 26, 28, 30)),
                "induction_ready": Flag(0.6),
                "material": Words((("Aluminium", "铝合金"), ("Stainless steel", "不锈钢"))),
            },
        ),
        Kind(
            "water_bottle",
            "Insulated Water Bottle, {capacity_ml} ml",
            "不锈钢保温杯 {capacity_ml}ml",
            ("Drinkware", "水杯"),
            (12, 45),
            {
                "colour": COLOURS,
                "capacity_ml": Pick((350, 500, 750, 1000)),
                "material": Words((("316 stainless steel", "316 不锈钢"),)),
            },
            axis=("colour",),
        ),
        Kind(
            "air_fryer",
            "Digital Air Fryer, {capacity_l} L",
            "智能空气炸锅 {capacity_l}升",
            ("Kitchen Appliances", "厨房小电"),
            (49, 199),
            {
                "colour": BASIC_COLOURS,
                "capacity_l": Pick((3.5, 4.5, 5.5, 6.0)),
                "wattage_w": IntRange(1200, 1800, 100),
            },
        ),
        Kind(
            "food_containers",
            "Glass Food Storage Containers, Set of {pieces}",
            "玻璃保鲜盒 {pieces}件套",
            ("Storage", "收纳"),
            (15, 49),
            {
                "pieces": Pick((3, 5, 10)),
                "material": Words((("Borosilicate glass", "高硼硅玻璃"),)),
            },
        ),
    ),
    queries_en=(
        "air fryer",
        "frying pan",
        "water bottle",
        "food storage containers",
        "non stick pan",
    ),
    queries_zh=("空气炸锅", "不粘锅", "保温杯", "保鲜盒", "煎锅"),
    use=("quick weeknight dinners and meal prep", "日常快手晚餐和备餐"),
    care=("Clean removable parts by hand with a soft sponge.", "可拆卸部件建议用软海绵手洗。"),
    group="home",
    tags=(("kitchen", "厨房"), ("home", "家居")),
)

FURNITURE = Category(
    key="furniture",
    path_en=("Furniture",),
    path_zh=("家具",),
    weight=0.6,
    brands=(("Oakhaven", "Oakhaven"), ("Mujia", "木家"), ("Nordlund", "Nordlund")),
    kinds=(
        Kind(
            "office_chair",
            "Ergonomic Office Chair",
            "人体工学办公椅",
            ("Office Chairs", "办公椅"),
            (89, 499),
            {
                "colour": BASIC_COLOURS,
                "material": Words((("Mesh", "网布"), ("Leather", "皮革"))),
                "max_load_kg": Pick((120, 150)),
                "adjustable_armrests": Flag(0.7),
            },
            axis=("colour",),
        ),
        Kind(
            "standing_desk",
            "Electric Standing Desk, {width_cm} cm",
            "电动升降桌 {width_cm}厘米",
            ("Desks", "书桌"),
            (149, 599),
            {
                "width_cm": Pick((100, 120, 140, 160)),
                "max_load_kg": Pick((80, 100, 120)),
                "colour": Words((("White", "白色"), ("Black", "黑色"), ("Walnut", "胡桃色"))),
            },
            axis=("colour",),
        ),
        Kind(
            "bookshelf",
            "{tiers}-Tier Bookshelf",
            "{tiers}层书架",
            ("Shelving", "置物架"),
            (39, 199),
            {
                "tiers": Pick((3, 4, 5)),
                "material": Words(
                    (("Solid oak", "实木橡木"), ("Engineered wood", "人造板"), ("Metal", "金属"))
                ),
            },
        ),
        Kind(
            "sofa",
            "{seats}-Seat Fabric Sofa",
            "{seats}人位布艺沙发",
            ("Sofas", "沙发"),
            (299, 1499),
            {
                "seats": Pick((2, 3)),
                "colour": Words(COLOURS.pairs[2:4] + COLOURS.pairs[8:10]),
                "material": Words((("Linen blend", "亚麻混纺"),)),
            },
            axis=("colour",),
        ),
    ),
    queries_en=("office chair", "standing desk", "bookshelf", "sofa", "ergonomic chair"),
    queries_zh=("办公椅", "升降桌", "书架", "布艺沙发", "人体工学椅"),
    use=("home offices and small living rooms", "居家办公和小户型客厅"),
    care=("Tighten the bolts again after the first month of use.", "使用一个月后请重新拧紧螺丝。"),
    group="home",
    sized=True,
    series=False,
    tags=(("furniture", "家具"), ("home office", "居家办公")),
)

TOYS = Category(
    key="toys",
    path_en=("Toys & Games",),
    path_zh=("玩具",),
    weight=0.9,
    brands=(
        ("Brickwise", "Brickwise"),
        ("Lele", "乐乐"),
        ("Tinkerfox", "Tinkerfox"),
        ("Tongqu", "童趣"),
    ),
    kinds=(
        Kind(
            "building_blocks",
            "Building Blocks Set, {pieces} Pieces",
            "拼装积木套装 {pieces}颗粒",
            ("Building Toys", "积木"),
            (15, 129),
            {"pieces": Pick((300, 600, 1200, 2000)), "age_min": Pick((6, 8, 12))},
        ),
        Kind(
            "plush_toy",
            "Plush {animal}, {height_cm} cm",
            "毛绒{animal}公仔 {height_cm}厘米",
            ("Plush Toys", "毛绒玩具"),
            (9, 45),
            {
                "animal": Words(
                    (("Bear", "熊"), ("Bunny", "兔子"), ("Panda", "熊猫"), ("Dinosaur", "恐龙"))
                ),
                "height_cm": Pick((25, 40, 60)),
                "age_min": Fixed(3),
            },
        ),
        Kind(
            "jigsaw_puzzle",
            "Jigsaw Puzzle, {pieces} Pieces",
            "拼图 {pieces}片",
            ("Puzzles", "拼图"),
            (9, 35),
            {"pieces": Pick((500, 1000, 1500)), "age_min": Fixed(10)},
        ),
        Kind(
            "rc_car",
            "Remote Control Off-Road Car",
            "遥控越野车",
            ("Remote Control Toys", "遥控玩具"),
            (25, 119),
            {"colour": COLOURS, "battery_minutes": IntRange(15, 40, 5), "age_min": Pick((6, 8))},
            axis=("colour",),
        ),
    ),
    queries_en=(
        "building blocks",
        "plush toy",
        "jigsaw puzzle",
        "remote control car",
        "toys for kids",
    ),
    queries_zh=("积木", "毛绒玩具", "拼图", "遥控车", "儿童玩具"),
    use=(
        "rainy afternoons, birthdays and family game nights",
        "周末亲子时光、生日礼物和家庭游戏夜",
    ),
    care=(
        "Small parts: keep away from children under three.",
        "含小零件，请勿让三岁以下儿童接触。",
    ),
    group="general",
    tags=(("toys", "玩具"), ("gifts", "礼物")),
)

BOOKS = Category(
    key="books",
    path_en=("Books",),
    path_zh=("图书",),
    weight=0.8,
    brands=(
        ("Harbour Press", "海港出版社"),
        ("Lantern Books", "灯塔文库"),
        ("Qingyun Publishing", "青云出版社"),
    ),
    kinds=(
        Kind(
            "novel",
            "A Novel",
            "长篇小说",
            ("Fiction", "小说"),
            (8, 29),
            {
                "format": Words((("Paperback", "平装"), ("Hardcover", "精装"))),
                "pages": IntRange(180, 620, 10),
            },
        ),
        Kind(
            "cookbook",
            "A Cookbook",
            "菜谱",
            ("Cooking", "烹饪美食"),
            (15, 45),
            {"format": Words((("Hardcover", "精装"),)), "pages": IntRange(160, 360, 8)},
        ),
        Kind(
            "picture_book",
            "A Picture Book",
            "绘本",
            ("Children's Books", "童书"),
            (6, 25),
            {
                "format": Words((("Hardcover", "精装"), ("Board book", "纸板书"))),
                "pages": IntRange(24, 48, 4),
                "age_min": Pick((2, 3, 5)),
            },
        ),
        Kind(
            "business_book",
            "A Business Book",
            "经管读物",
            ("Business", "经济管理"),
            (12, 35),
            {"format": Words((("Paperback", "平装"),)), "pages": IntRange(200, 420, 10)},
        ),
    ),
    queries_en=("novel", "cookbook", "picture book", "business book", "best sellers books"),
    queries_zh=("小说", "菜谱", "绘本", "经管书", "畅销书"),
    use=("quiet evenings and long train rides", "安静的夜晚和漫长的旅途"),
    care=("Printed on acid-free paper that will not yellow.", "采用无酸纸印刷，久放不易发黄。"),
    group="general",
    series=False,
    books=True,
    tags=(("books", "图书"), ("reading", "阅读")),
)
