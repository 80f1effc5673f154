"""Review phrases with a known aspect and polarity, in English and Chinese.

No phrase contains another, so a test (or a curious reader) can recover the planted labels from the
text by plain substring search.
"""

from __future__ import annotations

Phrases = dict[str, tuple[str, ...]]  # "aspect:+" or "aspect:-" -> phrases

EN: Phrases = {
    "quality:+": (
        "Excellent build quality",
        "Feels solid and well made",
        "The quality is better than I expected",
        "Still works perfectly after months of daily use",
        "Sturdy and durable",
        "Premium feel in the hand",
        "Really well put together",
    ),
    "quality:-": (
        "Broke after two weeks",
        "Feels cheap and flimsy",
        "The quality is poor",
        "Stopped working within a month",
        "Started falling apart after a few uses",
        "Much worse than the photos suggest",
        "Cracked the first time I dropped it",
    ),
    "logistics:+": (
        "Arrived two days early",
        "Delivery was super fast",
        "Shipped the same day I ordered",
        "The courier was quick and friendly",
        "Got it the next day",
        "Tracking updates were accurate the whole way",
    ),
    "logistics:-": (
        "Shipping took forever",
        "Took almost two weeks to arrive",
        "The parcel was stuck in transit for days",
        "Delivery was late and nobody told me why",
        "The courier left it in the rain",
        "Tracking never updated",
    ),
    "service:+": (
        "Customer service answered within minutes",
        "The support team was really helpful",
        "They replaced the faulty one without any fuss",
        "The seller followed up to check I was happy",
        "Support sorted out my problem right away",
    ),
    "service:-": (
        "Customer service never replied to my emails",
        "Support was rude and unhelpful",
        "They kept sending me copy-paste answers",
        "Had to chase them three times for a refund",
        "The seller ignored my messages",
    ),
    "price:+": (
        "Great value for money",
        "Cheaper than anywhere else I looked",
        "Worth every penny",
        "Got it on sale, an absolute bargain",
        "Very reasonably priced",
    ),
    "price:-": (
        "Overpriced for what it is",
        "Not worth the money",
        "Way too expensive",
        "Found it for half the price elsewhere",
        "Hard to justify the price",
    ),
    "packaging:+": (
        "Packaged carefully with plenty of padding",
        "Beautiful box, perfect as a gift",
        "Everything arrived well protected",
        "Neat, eco-friendly packaging",
    ),
    "packaging:-": (
        "The box arrived crushed",
        "Packaging was flimsy and torn",
        "It came in a plain bag with no protection",
        "The seal was broken when it arrived",
    ),
    "size:+": (
        "Fits true to size",
        "The size chart was spot on",
        "Perfect fit",
        "Exactly the dimensions listed",
    ),
    "size:-": (
        "Runs small, order one size up",
        "Much bigger than I expected",
        "The size chart is way off",
        "Smaller than it looks in the photos",
    ),
}

ZH: Phrases = {
    "quality:+": (
        "做工很精致",
        "质量非常好",
        "用料扎实，很有质感",
        "用了几个月依然跟新的一样",
        "品质超出预期",
        "细节处理得很到位",
    ),
    "quality:-": (
        "质量太差了",
        "用了两周就坏了",
        "做工粗糙，有很多线头",
        "手感很廉价",
        "刚用几次就开裂了",
        "实物做工远不如图片",
    ),
    "logistics:+": (
        "物流很快，第二天就到了",
        "发货速度超快",
        "快递小哥很负责，送货上门",
        "比预计时间早到了两天",
        "当天下单当天发货",
        "物流信息更新很及时",
    ),
    "logistics:-": (
        "快递太慢了，等了一个星期",
        "物流慢得离谱",
        "包裹在路上卡了好几天",
        "快递员直接扔在门口",
        "物流信息一直不更新",
        "比承诺的时间晚了一周才到",
    ),
    "service:+": (
        "客服回复很及时",
        "客服态度特别好，耐心解答",
        "售后很给力，直接给换了新的",
        "商家还主动联系确认是否满意",
        "有问题客服马上就解决了",
    ),
    "service:-": (
        "客服一直不回消息",
        "客服态度很差",
        "售后推来推去，不解决问题",
        "退款催了三次才处理",
        "客服只会复制粘贴",
    ),
    "price:+": (
        "性价比很高",
        "价格实惠",
        "比别家便宜不少",
        "活动价买的，很划算",
        "这个价格买到很值",
    ),
    "price:-": ("价格偏贵", "性价比太低", "不值这个价", "别家便宜一半", "刚买就降价了，很郁闷"),
    "packaging:+": (
        "包装很用心，防护到位",
        "包装精美，送人很有面子",
        "包装严实，没有任何磕碰",
        "环保包装，很加分",
    ),
    "packaging:-": (
        "外箱都压扁了",
        "包装太简陋了",
        "收到时封口已经破了",
        "只用一个塑料袋装着，毫无保护",
    ),
    "size:+": ("尺码很标准", "大小刚刚好", "按尺码表买的，非常合身", "尺寸和描述一致"),
    "size:-": ("尺码偏小，建议买大一号", "尺码偏大，只能去换", "比想象中小很多", "尺寸和描述不符"),
}

# Quality phrases that only make sense for some kinds of goods, by category group.
EN_QUALITY: dict[str, Phrases] = {
    "electronics": {
        "+": (
            "The battery easily lasts all week",
            "Sound is crisp and clear",
            "Pairs instantly with my phone",
        ),
        "-": (
            "The battery died after a week",
            "Keeps disconnecting from my phone",
            "Charging is painfully slow",
        ),
    },
    "apparel": {
        "+": (
            "The fabric is soft and breathable",
            "Colour did not fade after washing",
            "Comfortable to wear all day",
        ),
        "-": (
            "Shrank after the first wash",
            "The fabric pills after a few washes",
            "The stitching came loose",
        ),
    },
    "beauty": {
        "+": (
            "Absorbs quickly without feeling greasy",
            "My skin feels hydrated all day",
            "No breakouts even on my sensitive skin",
        ),
        "-": (
            "Broke me out within days",
            "Leaves a sticky film on my skin",
            "Made my skin itch and turn red",
        ),
    },
    "food": {
        "+": (
            "Tastes fresh and delicious",
            "Crunchy and not too salty",
            "Lovely aroma as soon as you open it",
        ),
        "-": ("Tasted stale", "Way too sweet for me", "Some of them were soft and not fresh"),
    },
    "home": {
        "+": (
            "Feels stable and well balanced",
            "Easy to clean",
            "Looks even better at home than in the photos",
        ),
        "-": (
            "Wobbles no matter how I adjust it",
            "Scratches far too easily",
            "The finish started peeling after a month",
        ),
    },
}
ZH_QUALITY: dict[str, Phrases] = {
    "electronics": {
        "+": ("续航很给力，一周一充", "音质清晰，低音饱满", "蓝牙连接很稳定"),
        "-": ("电池一周就不行了", "蓝牙老是断连", "充电速度特别慢"),
    },
    "apparel": {
        "+": ("面料柔软透气", "洗了几次也不掉色", "穿一整天都很舒服"),
        "-": ("洗一次就缩水了", "洗了两次就起球", "袖口开线了"),
    },
    "beauty": {
        "+": ("吸收很快，一点都不油腻", "用完皮肤水润了一整天", "敏感肌用着也不过敏"),
        "-": ("用了两天就爆痘", "擦完黏黏的很难受", "用完脸又痒又红"),
    },
    "food": {
        "+": ("味道很新鲜，很好吃", "口感酥脆，咸淡刚好", "一打开就很香"),
        "-": ("吃起来有股陈味", "太甜了，吃不惯", "有几颗已经受潮了"),
    },
    "home": {
        "+": ("很稳，一点都不晃", "很好清洗", "放在家里比图片还好看"),
        "-": ("怎么调都晃", "表面特别容易刮花", "用了一个月就掉漆了"),
    },
}

FILLER = {
    "en": (
        "Bought this as a gift for my sister",
        "This is my second order from this shop",
        "I have been using it for about a month now",
        "Ordered it after reading the other reviews",
        "My partner picked this one",
        "I compared a few options before choosing this",
    ),
    "zh": (
        "买来送给家人的",
        "已经是第二次回购了",
        "用了一个月才来评价",
        "看了评价才下单的",
        "朋友推荐的",
        "对比了好几家才买的",
    ),
}

# Wishes and requests for needs mining: "general" ones fit any product.
WISHES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "general": (
            "I wish there were more colour options",
            "Would love a refill pack option",
            "Hope the packaging uses less plastic",
        ),
        "electronics": (
            "I wish it came with a case",
            "Would be great if it supported wireless charging",
        ),
        "apparel": ("I wish it came in plus sizes", "Please add a longer leg length"),
        "beauty": ("Would love a travel-size version",),
        "food": ("Please make a sugar-free version",),
        "home": ("Hope they make a larger version",),
    },
    "zh": {
        "general": ("希望能出更多颜色", "希望出个替换装", "希望包装能少用点塑料"),
        "electronics": ("希望能附带一个收纳盒", "希望以后支持无线充电"),
        "apparel": ("希望增加大码", "希望裤长能再长一点"),
        "beauty": ("希望出旅行装",),
        "food": ("希望出无糖款",),
        "home": ("希望出个大号的",),
    },
}

TITLES = {
    "en": {
        5: ("Love it", "Highly recommend", "Exceeded expectations", "Five stars"),
        4: ("Pretty good", "Happy overall", "Solid choice"),
        3: ("It's okay", "Mixed feelings", "Average"),
        2: ("Disappointed", "Not great"),
        1: ("Avoid", "Terrible experience", "Waste of money"),
    },
    "zh": {
        5: ("非常满意", "强烈推荐", "超出预期"),
        4: ("还不错", "整体满意"),
        3: ("一般般", "中规中矩"),
        2: ("有点失望", "不太满意"),
        1: ("非常失望", "不推荐购买"),
    },
}


def phrases_for(language: str, aspect: str, positive: bool, group: str) -> tuple[str, ...]:
    """Phrases expressing ``aspect`` with the given polarity, group-specific ones included."""
    sign = "+" if positive else "-"
    base = (ZH if language == "zh" else EN)[f"{aspect}:{sign}"]
    if aspect != "quality":
        return base
    extra = (ZH_QUALITY if language == "zh" else EN_QUALITY).get(group, {}).get(sign, ())
    return base + extra


def phrase_labels(language: str) -> dict[str, tuple[str, str]]:
    """Every planted phrase of a language -> (aspect, "positive" | "negative")."""
    labels: dict[str, tuple[str, str]] = {}
    for key, phrases in (ZH if language == "zh" else EN).items():
        aspect, sign = key.split(":")
        for phrase in phrases:
            labels[phrase] = (aspect, "positive" if sign == "+" else "negative")
    for by_sign in (ZH_QUALITY if language == "zh" else EN_QUALITY).values():
        for sign, phrases in by_sign.items():
            for phrase in phrases:
                labels[phrase] = ("quality", "positive" if sign == "+" else "negative")
    return labels
