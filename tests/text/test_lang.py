from __future__ import annotations

import time

import pytest

from shopmind.text import detect_language, message_language

ZH = [
    "Apple 无线耳机",
    "Aurora 降噪蓝牙耳机 黑色",
    "小米手环8 NFC版 运动健康监测",
    "纯棉短袖T恤男夏季宽松圆领上衣",
    "华为 Mate 60 Pro 12GB+512GB 雅川青",
    "这款耳机音质很好，降噪效果也不错，就是电池续航一般。",
    "收到货了，包装完好，物流很快，给卖家点赞！",
    "請問這個有現貨嗎？什麼時候可以出貨？",  # traditional characters
    "Nike Air Zoom Pegasus 40 男子跑步鞋",
    "iPhone 15 Pro Max 256GB 原色钛金属 全网通5G手机",
    "不锈钢保温杯 500ml 316医用级内胆 24小时保温",
    "儿童益智积木玩具 LEGO兼容 3-6岁",
]
EN = [
    "Wireless noise-cancelling headphones for the office",
    "iPhone 15 Pro 256GB Natural Titanium",
    "Organic cotton crew neck t-shirt, relaxed fit",
    "Stainless steel water bottle, keeps drinks cold for 24 hours",
    "The battery lasts all day and the screen is bright enough to use in the sun.",
    "Arrived quickly and works great. Would buy again!",
    "Pokémon trading card game booster pack",
    "Nestlé coffee capsules, pack of 50",
    "USB-C charging cable 2m",
    "Where is my order? I paid three days ago and have not received a tracking number.",
    "Kids building blocks set with 500 pieces and a storage box",
    "Café-style espresso machine with milk frother",
]
OTHER = [
    "ワイヤレスイヤホン",
    "東京の新しいワイヤレスイヤホン、ノイズキャンセリング付き",
    "무선 블루투스 이어폰 노이즈 캔슬링",
    "Беспроводные наушники с шумоподавлением",
    "Auriculares inalámbricos con cancelación de ruido y estuche de carga",
    "Fones de ouvido sem fio com cancelamento de ruído e estojo de carregamento",
    "Casque sans fil avec réduction de bruit et une autonomie de 30 heures",
    "Kabellose Kopfhörer mit Geräuschunterdrückung und Ladeetui",
    "Cuffie wireless con cancellazione del rumore, ideali per il viaggio",
    "Draadloze koptelefoon met ruisonderdrukking voor het kantoor",
    "Le produit est arrivé rapidement, très bonne qualité",
    "Die Lieferung war schnell und das Produkt ist super",
    "Camiseta de algodón para hombre",
    "سماعات لاسلكية",
    "12345",
    "",
]


@pytest.mark.parametrize("text", ZH)
def test_chinese_including_latin_brand_names(text: str) -> None:
    assert detect_language(text) == "zh"


@pytest.mark.parametrize("text", EN)
def test_english_including_borrowed_accents(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", OTHER)
def test_other_languages_and_no_letters(text: str) -> None:
    assert detect_language(text) == "other"


@pytest.mark.parametrize("text", [EN[4] * 5, ZH[5] * 12, OTHER[6] * 6])
def test_fast_enough_for_ingest(text: str) -> None:
    # Uncached calls on a 400-character sample; the target is 20 µs, the bound is loose for CI.
    detect = detect_language.__wrapped__
    runs = 2000
    started = time.perf_counter()
    for _ in range(runs):
        detect(text)
    assert (time.perf_counter() - started) / runs < 100e-6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tell me about 小米蓝牙耳机", "en"),
        ("Is 小米手环 waterproof?", "en"),
        ("小米蓝牙耳机 — what is the price of it?", "en"),
        ("How much is the 华为 MatePad?", "en"),
        ("这个 AirPods Pro 多少钱", "zh"),
        ("iPhone 15 Pro Max 有货吗", "zh"),
        ("我想买 the north face 的外套", "zh"),
        ("介绍一下小米蓝牙耳机", "zh"),
        ("有 Apple Watch for kids 吗", "zh"),
        ("Samsung Galaxy Watch 6 Classic 47mm LTE 多少钱", "zh"),
        ("请问 Nintendo Switch OLED Mario Red Edition 什么时候到货", "zh"),
        ("Where is my order? Thanks, 谢谢", "en"),
        ("Do you have the Apple Watch in stock, 可以吗", "en"),
        ("Tell me about Organic Green Tea 有机绿茶 loose leaf", "en"),
        ("What colour is it?", "en"),
        ("¿Tienen envío a México?", "other"),
    ],
)
def test_message_language_reads_the_words_around_a_quoted_name(text: str, expected: str) -> None:
    """A customer's message is in the language of the words around a product name."""
    assert message_language(text) == expected
