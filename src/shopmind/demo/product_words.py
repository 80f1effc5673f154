"""Words for product names and copy: series names, invented book titles and authors, openers."""

from __future__ import annotations

SERIES = ("Air", "Nova", "Pulse", "Echo", "Zen", "Flex", "Aero", "Core", "Luna", "Terra", "Vita")
SUFFIX = ("", " 2", " 3", " 5", " Pro", " Lite", " Max", " Plus", " S", " X")
BOOK_ADJ = (
    ("Silent", "寂静"),
    ("Hidden", "隐秘"),
    ("Last", "最后"),
    ("Golden", "金色"),
    ("Winter", "冬日"),
    ("Paper", "纸上"),
    ("Quiet", "安静"),
    ("Northern", "北方"),
    ("Lost", "迷失"),
    ("Bright", "明亮"),
)
BOOK_NOUN = (
    ("Harbour", "港湾"),
    ("Garden", "花园"),
    ("River", "河流"),
    ("Kitchen", "厨房"),
    ("Lantern", "灯笼"),
    ("Orchard", "果园"),
    ("Mountains", "群山"),
    ("Letters", "来信"),
    ("Journey", "旅程"),
    ("Market", "集市"),
)
AUTHORS = (
    ("Clara Whitfield", "林晓雨"),
    ("Samuel Okafor", "陈默"),
    ("Ines Marlow", "周若溪"),
    ("Theo Lindqvist", "许安"),
    ("Priya Raman", "苏念"),
    ("Jonah Avery", "顾北"),
)
INTRO = (
    (
        "Meet the {name}, built for {use}.",
        "Made for {use}: the {name}.",
        "Looking for something for {use}? Try the {name}.",
    ),
    (
        "{name}，专为{use}打造。",
        "这款{name}兼顾品质与性价比，适合{use}。",
        "{name}，{use}的好帮手。",
    ),
)
BOOK_INTRO = (
    (
        "{name} is a good companion for {use}.",
        "Made for {use}: {name}.",
        "Looking for something for {use}? Try {name}.",
    ),
    ("{name}，适合{use}阅读。", "{name}，陪你度过{use}。", "推荐{name}，适合{use}。"),
)
DISPATCH = ("Orders placed before 4 pm ship the same day.", "下午 4 点前下单，当天发货。")
