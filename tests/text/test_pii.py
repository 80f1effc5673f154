from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopmind.text import PiiSpan, find_pii, is_valid_cn_id, luhn_ok, mask_pii

# Published test card numbers, so the validator is not only checked against itself.
CARDS = [
    "4111111111111111",  # Visa
    "5555555555554444",  # Mastercard
    "2223003122003222",  # Mastercard 2-series
    "378282246310005",  # Amex, 15 digits
    "6011111111111117",  # Discover
    "3530111333300000",  # JCB
    "36227206271667",  # Diners, 14 digits
    "6200000000000005",  # UnionPay
    "6205500000000000004",  # UnionPay, 19 digits
]


def _id_check(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _luhn_check(body: str) -> str:
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str(-total % 10)


def test_validators_on_published_numbers() -> None:
    assert is_valid_cn_id("11010519491231002X")  # the example of the GB 11643 standard
    assert is_valid_cn_id("11010519491231002x")
    assert not is_valid_cn_id("110105194912310021")  # wrong check character
    assert not is_valid_cn_id("990105194912310029")  # no province 99
    assert not is_valid_cn_id("110105194902300020")  # 30 February
    assert all(luhn_ok(card) for card in CARDS)
    assert not luhn_ok("4111111111111112")
    assert not luhn_ok("4111 1111") and not luhn_ok("²0") and not is_valid_cn_id("²" * 18)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的手机是13812345678，麻烦尽快发货", "我的手机是[PHONE]，麻烦尽快发货"),
        ("联系电话 138 1234 5678 / 139-8765-4321", "联系电话 [PHONE] / [PHONE]"),
        ("+86 138 1234 5678 或 0086-13912345678", "[PHONE] 或 [PHONE]"),
        ("手机１３８１２３４５６７８，谢谢", "手机[PHONE]，谢谢"),  # full-width digits from an IME
        ("座机010-62345678，分机找王经理", "座机[PHONE]，分机找王经理"),
        ("Call me at (415) 555-2671 or 415.555.2672", "Call me at [PHONE] or [PHONE]"),
        (
            "UK office: +44 20 7946 0958, Paris +33 1 42 68 53 00",
            "UK office: [PHONE], Paris [PHONE]",
        ),
        ("邮箱zhang.san@example.com，QQ邮箱123456789@qq.com", "邮箱[EMAIL]，QQ邮箱[EMAIL]"),
        ("Email me: Jane.Doe+orders@mail.example.co.uk.", "Email me: [EMAIL]."),
        ("身份证号11010519491231002X，请核对", "身份证号[CN_ID]，请核对"),
        ("身份证 110105 19491231 002X", "身份证 [CN_ID]"),
        ("卡号 4111 1111 1111 1111 有效期 12/27", "卡号 [CARD] 有效期 12/27"),
        ("card 4111-1111-1111-1111 cvv 123", "card [CARD] cvv 123"),
        ("卡号 4111 1111 1111 1111 123", "卡号 [CARD] 123"),  # the CVV typed straight after
        ("Amex 3782 822463 10005 please", "Amex [CARD] please"),
        ("银行卡6205500000000000004退款", "银行卡[CARD]退款"),
        ("login from 203.0.113.7 at 12:30", "login from [IP] at 12:30"),
        ("IPv6 2001:db8::8a2e:370:7334 blocked", "IPv6 [IP] blocked"),
        ("mapped ::ffff:192.0.2.128 ok", "mapped [IP] ok"),
        (
            "Hi, order #A1234 never came. Reach me at jo@example.org or +1 415 555 2671.",
            "Hi, order #A1234 never came. Reach me at [EMAIL] or [PHONE].",
        ),
        (
            "差评！快递员打我电话13698765432还骂人，我身份证号都给了(310101199003071230)",
            "差评！快递员打我电话[PHONE]还骂人，我身份证号都给了([CN_ID])",
        ),
    ],
)
def test_masks_realistic_messages(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "订单号 202405011234567890",
        "订单号：2024050112345678，请查询",
        "¥1,299.00",
        "$1,299.99, was $1,499.99",
        "2024-05-01 12:30",
        "2024/05/01 12:30:45",
        "SKU 4006381333931",
        "EAN 4006381333900",  # a Luhn-valid EAN-13: a barcode, not a 13-digit Visa
        "1511544070",
        "timestamp 1715544070123",
        "order 4111111111111111",  # deliberate: an order label wins over an ungrouped number
        "订单号13812345678",
        "MAC 00:1A:2B:3C:4D:5E",
        "v1.2.3.4 release",
        "std::vector and a::b",
        "300-500 mAh, 1200x800 px, 12345678901234567890123",
        "Model AB4111111111111111CD",
        "Size 38-42, pack of 3, 100% cotton",
        "这件衣服199元，满300减50，2024年5月1日发货",
        "Rated 4.5 out of 5 by 1,234 reviewers",
    ],
)
def test_leaves_look_alikes(text: str) -> None:
    assert find_pii(text) == []
    assert mask_pii(text) == text


def test_find_pii_spans_and_overlaps() -> None:
    text = "QQ: 13812345678@qq.com, ID 11010519491231002X"
    assert find_pii(text) == [
        PiiSpan("email", 4, 22, "13812345678@qq.com"),  # the longer e-mail beats the phone inside
        PiiSpan("cn_id", 27, 45, "11010519491231002X"),
    ]


def test_keep_leaves_chosen_kinds() -> None:
    text = "jo@example.org 13812345678"
    assert mask_pii(text, keep={"email"}) == "jo@example.org [PHONE]"
    with pytest.raises(ValueError, match="valid kinds"):
        mask_pii(text, keep={"emails"})


def test_future_birth_date_is_not_an_id() -> None:
    born = date.today() + timedelta(days=30)
    body = f"110105{born:%Y%m%d}002"
    assert not is_valid_cn_id(body + _id_check(body))


provinces = st.sampled_from(["11", "31", "44", "51", "65", "81"])
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
cn_ids = st.builds(
    lambda province, rest, born, seq: f"{province}{rest}{born:%Y%m%d}{seq}",
    provinces,
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    birth_dates,
    st.from_regex(r"[0-9]{3}", fullmatch=True),
).map(lambda body: body + _id_check(body))
card_prefixes = st.sampled_from(["4", "51", "55", "2221", "2720", "34", "37", "6011", "62", "35"])
cards = st.builds(
    lambda prefix, length, digits: (prefix + digits)[: length - 1],
    card_prefixes,
    st.integers(min_value=14, max_value=19),
    st.from_regex(r"[0-9]{19}", fullmatch=True),
).map(lambda body: body + _luhn_check(body))
# No order labels ("订单", "order") in the filler: they deliberately turn a number into an order number.
filler = st.text(alphabet=st.sampled_from(list("您好请问这个商品 abcXYZ,.!?，。")), max_size=12)


def _grouped(card: str) -> str:
    return " ".join(card[i : i + 4] for i in range(0, len(card), 4))


@given(cn_ids, filler, filler)
def test_generated_cn_ids_are_found(number: str, before: str, after: str) -> None:
    assert is_valid_cn_id(number)
    spans = find_pii(f"{before} {number} {after}")
    assert [(s.kind, s.value) for s in spans] == [("cn_id", number)]


@given(cards, st.booleans(), filler, filler)
def test_generated_cards_are_found(card: str, grouped: bool, before: str, after: str) -> None:
    value = _grouped(card) if grouped else card
    spans = find_pii(f"{before}：{value} {after}")
    assert [(s.kind, s.value) for s in spans] == [("card", value)]


phones = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
emails = st.from_regex(r"[a-z][a-z0-9._]{0,8}@[a-z]{2,8}\.(com|cn|org)", fullmatch=True)
pii_values = st.one_of(cn_ids, cards, phones, emails)


@given(st.lists(st.tuples(filler, pii_values), max_size=4), filler)
def test_masking_leaves_no_found_value(parts: list[tuple[str, str]], tail: str) -> None:
    text = "".join(f"{before} {value} " for before, value in parts) + tail
    masked = mask_pii(text)
    for span in find_pii(text):
        assert span.value not in masked
    assert len(find_pii(text)) == len(parts)


@given(st.text(alphabet=st.sampled_from(list("0123456789 -+.:@()abcxX你好，")), max_size=60))
def test_mask_pii_is_idempotent(text: str) -> None:
    once = mask_pii(text)
    assert mask_pii(once) == once


def test_masking_repeats_until_nothing_is_left() -> None:
    # The IPv6 address is only visible once the e-mail glued to it is masked.
    assert find_pii("2001:db8::1192.168.1.1a@aa.com") == [
        PiiSpan("email", 10, 30, "1192.168.1.1a@aa.com")
    ]
    assert mask_pii("2001:db8::1192.168.1.1a@aa.com") == "[IP][EMAIL]"
    assert mask_pii("110000200001010000(415) 555-2671") == "[CN_ID][PHONE]"
