"""The built-in e-commerce aspect taxonomy, as plain data (a shop extends it with a JSON file).

Per aspect: ``label`` per language; ``terms`` name the aspect without judging it ("delivery",
"物流"); ``cues`` are phrases that both name the aspect and carry a polarity ("arrived early",
"偏小"), under "+" or "-". Generic opinion words ("good", "差") live in ``lexicon.py``.
English entries are lower case and matched on word boundaries; Chinese ones as substrings.
"""

from __future__ import annotations

from typing import Any

DEFAULT_TAXONOMY: dict[str, Any] = {
    "quality": {
        "label": {"en": "Quality", "zh": "质量"},
        "terms": {
            "en": [
                "quality",
                "build",
                "build quality",
                "material",
                "materials",
                "workmanship",
                "craftsmanship",
                "stitching",
                "finish",
                "durability",
                "construction",
            ],
            "zh": ["质量", "做工", "品质", "用料", "材质", "质感", "工艺", "细节", "线头", "手感"],
        },
        "cues": {
            "en": {
                "+": [
                    "well made",
                    "well put together",
                    "sturdy",
                    "durable",
                    "solid",
                    "premium feel",
                    "still works",
                    "like new",
                ],
                "-": [
                    "broke",
                    "broken",
                    "flimsy",
                    "feels cheap",
                    "falling apart",
                    "fell apart",
                    "stopped working",
                    "cracked",
                    "defective",
                    "faulty",
                    "peeling",
                    "came loose",
                    "poorly made",
                    "badly made",
                ],
            },
            "zh": {
                "+": ["结实", "耐用", "精致", "扎实", "跟新的一样"],
                "-": ["坏了", "开裂", "粗糙", "廉价", "掉漆", "开线", "破损", "瑕疵", "劣质"],
            },
        },
    },
    "logistics": {
        "label": {"en": "Delivery", "zh": "物流"},
        "terms": {
            "en": [
                "delivery",
                "delivered",
                "shipping",
                "shipped",
                "ship",
                "courier",
                "parcel",
                "tracking",
                "arrived",
                "arrive",
                "arrival",
                "dispatch",
                "dispatched",
                "postage",
                "package arrived",
                "transit",
            ],
            "zh": [
                "物流",
                "快递",
                "发货",
                "送货",
                "到货",
                "配送",
                "收到货",
                "包裹",
                "快递员",
                "快递小哥",
                "派送",
                "运输",
                "物流信息",
            ],
        },
        "cues": {
            "en": {
                "+": [
                    "arrived early",
                    "days early",
                    "next day",
                    "same day",
                    "on time",
                    "ahead of schedule",
                ],
                "-": [
                    "took forever",
                    "weeks to arrive",
                    "stuck in transit",
                    "never arrived",
                    "left it in the rain",
                    "never updated",
                    "lost in the post",
                    "delayed",
                ],
            },
            "zh": {
                "+": ["第二天就到", "当天发货", "早到", "送货上门", "隔天就到", "次日达"],
                "-": [
                    "卡了好几天",
                    "晚了",
                    "一直不更新",
                    "扔在门口",
                    "等了一个星期",
                    "迟迟不发",
                    "丢件",
                ],
            },
        },
    },
    "service": {
        "label": {"en": "Service", "zh": "服务"},
        "terms": {
            "en": [
                "customer service",
                "service",
                "support",
                "support team",
                "seller",
                "staff",
                "refund",
                "return",
                "returns",
                "replacement",
                "after-sales",
            ],
            "zh": ["客服", "服务", "售后", "商家", "卖家", "店家", "退款", "退货", "换货", "态度"],
        },
        "cues": {
            "en": {
                "+": [
                    "answered within minutes",
                    "followed up",
                    "without any fuss",
                    "sorted out",
                    "replaced",
                    "responsive",
                ],
                "-": [
                    "never replied",
                    "ignored",
                    "copy-paste",
                    "chase them",
                    "no response",
                    "unhelpful",
                    "rude",
                ],
            },
            "zh": {
                "+": ["耐心", "回复很及时", "马上就解决", "主动联系", "给换了新的", "热情"],
                "-": ["不回消息", "推来推去", "不解决问题", "复制粘贴", "爱答不理", "催了"],
            },
        },
    },
    "price": {
        "label": {"en": "Price / value", "zh": "价格"},
        "terms": {
            "en": ["price", "priced", "value", "money", "cost", "deal", "value for money"],
            "zh": ["价格", "性价比", "价钱", "价位", "活动价", "这个价"],
        },
        "cues": {
            "en": {
                "+": [
                    "bargain",
                    "cheaper",
                    "worth every penny",
                    "worth it",
                    "worth the money",
                    "affordable",
                    "good value",
                    "great value",
                    "reasonably priced",
                    "on sale",
                ],
                "-": [
                    "overpriced",
                    "too expensive",
                    "expensive",
                    "pricey",
                    "half the price",
                    "rip-off",
                    "rip off",
                    "hard to justify the price",
                ],
            },
            "zh": {
                "+": [
                    "性价比很高",
                    "性价比高",
                    "性价比超高",
                    "实惠",
                    "划算",
                    "便宜",
                    "超值",
                    "很值",
                    "物美价廉",
                    "物超所值",
                ],
                "-": [
                    "性价比太低",
                    "性价比低",
                    "性价比不高",
                    "便宜一半",
                    "偏贵",
                    "太贵",
                    "不值",
                    "降价",
                    "贵了",
                    "坑",
                ],
            },
        },
    },
    "packaging": {
        "label": {"en": "Packaging", "zh": "包装"},
        "terms": {
            "en": [
                "packaging",
                "packaged",
                "package",
                "box",
                "padding",
                "wrapping",
                "wrapped",
                "seal",
            ],
            "zh": ["包装", "外箱", "盒子", "封口", "外包装", "纸箱", "塑料袋"],
        },
        "cues": {
            "en": {
                "+": ["well protected", "perfect as a gift", "plenty of padding"],
                "-": [
                    "crushed",
                    "no protection",
                    "seal was broken",
                    "broken seal",
                    "dented",
                    "torn",
                ],
            },
            "zh": {
                "+": ["防护到位", "严实", "没有任何磕碰", "送人很有面子"],
                "-": ["压扁", "毫无保护", "磕碰", "简陋", "破了"],
            },
        },
    },
    "size": {
        "label": {"en": "Size / fit", "zh": "尺码"},
        "terms": {
            "en": ["size", "sizing", "fit", "fits", "size chart", "dimensions", "length", "width"],
            "zh": ["尺码", "尺寸", "大小", "码数", "尺码表", "合身"],
        },
        "cues": {
            "en": {
                "+": [
                    "true to size",
                    "perfect fit",
                    "fits perfectly",
                    "spot on",
                    "exactly the dimensions",
                ],
                "-": [
                    "runs small",
                    "runs large",
                    "size up",
                    "bigger than i expected",
                    "smaller than it looks",
                    "smaller than expected",
                    "too small",
                    "too big",
                    "way off",
                    "too tight",
                    "too loose",
                ],
            },
            "zh": {
                "+": ["刚刚好", "很标准", "非常合身", "和描述一致", "正好"],
                "-": ["偏小", "偏大", "小很多", "大很多", "不符", "太紧", "太松", "买大一号"],
            },
        },
    },
    "appearance": {
        "label": {"en": "Appearance", "zh": "外观"},
        "terms": {
            "en": ["look", "looks", "design", "colour", "color", "style", "appearance"],
            "zh": ["外观", "颜值", "颜色", "样子", "款式", "设计", "图片"],
        },
        "cues": {
            "en": {
                "+": ["beautiful", "stylish", "gorgeous", "pretty"],
                "-": ["ugly", "faded", "fade", "fades"],
            },
            "zh": {"+": ["好看", "漂亮", "颜值高", "高级感"], "-": ["难看", "色差", "掉色"]},
        },
    },
    "function": {
        "label": {"en": "Function / performance", "zh": "功能"},
        "terms": {
            "en": [
                "battery",
                "battery life",
                "sound",
                "charging",
                "connection",
                "performance",
                "bluetooth",
                "signal",
                "screen",
                "noise cancelling",
                "works",
                "effect",
            ],
            "zh": [
                "续航",
                "电池",
                "音质",
                "蓝牙",
                "充电",
                "效果",
                "功能",
                "性能",
                "功效",
                "信号",
                "屏幕",
                "使用体验",
                "好用",
            ],
        },
        "cues": {
            "en": {
                "+": [
                    "lasts all week",
                    "crisp and clear",
                    "pairs instantly",
                    "works great",
                    "works perfectly",
                    "works well",
                ],
                "-": [
                    "died",
                    "disconnecting",
                    "painfully slow",
                    "doesn't work",
                    "does not work",
                    "stopped charging",
                    "drains",
                ],
            },
            "zh": {
                "+": ["很给力", "一周一充", "低音饱满", "很稳定", "很好用"],
                "-": ["断连", "不行了", "没效果", "不好用", "没用"],
            },
        },
    },
    "authenticity": {
        "label": {"en": "Authenticity", "zh": "真伪"},
        "terms": {
            "en": ["genuine", "authentic", "original", "fake", "counterfeit", "knock-off"],
            "zh": ["正品", "真品", "假货", "专柜", "真假", "防伪"],
        },
        "cues": {
            "en": {"+": ["100% genuine", "is genuine"], "-": ["fake", "counterfeit", "knock-off"]},
            "zh": {"+": ["是正品", "正品无疑"], "-": ["假货", "假的", "不是正品"]},
        },
    },
    "freshness": {
        "label": {"en": "Freshness", "zh": "新鲜度"},
        "terms": {
            "en": ["freshness", "expiry", "expiry date", "best before", "shelf life"],
            "zh": ["新鲜", "保质期", "生产日期", "日期"],
        },
        "cues": {
            "en": {
                "+": ["tastes fresh", "fresh"],
                "-": ["stale", "expired", "not fresh", "mouldy"],
            },
            "zh": {"+": ["很新鲜", "日期很新"], "-": ["陈味", "过期", "受潮", "不新鲜", "临期"]},
        },
    },
    "smell": {
        "label": {"en": "Smell / taste", "zh": "气味"},
        "terms": {
            "en": [
                "smell",
                "scent",
                "fragrance",
                "aroma",
                "odour",
                "odor",
                "taste",
                "flavour",
                "flavor",
            ],
            "zh": ["气味", "味道", "香味", "味儿", "香气", "口感", "异味"],
        },
        "cues": {
            "en": {
                "+": ["smells great", "lovely aroma", "delicious", "tasty", "crunchy"],
                "-": ["smells bad", "chemical smell", "too sweet", "too salty", "strong smell"],
            },
            "zh": {
                "+": ["很香", "好吃", "好闻", "酥脆"],
                "-": ["刺鼻", "难闻", "太甜", "太咸", "难吃"],
            },
        },
    },
    "comfort": {
        "label": {"en": "Comfort / feel", "zh": "舒适度"},
        "terms": {
            "en": ["comfort", "comfortable", "fabric", "texture", "skin"],
            "zh": ["舒适", "面料", "质地", "肤感", "皮肤"],
        },
        "cues": {
            "en": {
                "+": [
                    "soft and breathable",
                    "comfortable to wear",
                    "hydrated",
                    "no breakouts",
                    "absorbs quickly",
                ],
                "-": [
                    "shrank",
                    "pills",
                    "itch",
                    "broke me out",
                    "sticky",
                    "greasy",
                    "wobbles",
                    "scratches",
                ],
            },
            "zh": {
                "+": ["柔软", "透气", "很舒服", "水润", "不过敏", "吸收很快", "很稳"],
                "-": ["缩水", "起球", "爆痘", "黏黏", "又痒又红", "过敏", "油腻", "晃", "刮花"],
            },
        },
    },
}
