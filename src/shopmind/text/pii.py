"""Finding and masking personal data in free text: e-mail, phone, Chinese ID, card number, IP.

Every digit pattern is validated before it counts, because catalog and support text is full of
numbers that look like personal data: order numbers, SKUs, barcodes, prices, dates, timestamps.

- Chinese resident ID: 18 characters, a real province code, a birth date between 1900 and today,
  and the ISO 7064 MOD 11-2 check character. The old 15-digit IDs (no check digit) are not
  detected: without a checksum they cannot be told from order numbers.
- Card: 13-19 digits, alone or grouped by spaces/dashes, passing Luhn, with an issuer prefix of a
  card network (2, 3, 4, 5, 6: Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro,
  Mir). About one random number in ten passes Luhn, so:
  - 13-digit numbers that are valid EAN-13 barcodes are barcodes (13-digit Visa cards are no
    longer issued; German EANs start with 40-44 and would otherwise pass as Visa);
  - an ungrouped number right after a label such as "订单号", "order", "SKU" or "tracking" is
    taken as what the label says. The cost: a card number typed without spaces straight after
    such a label is missed.
- Phone: Chinese mobiles (1[3-9] + 9 digits, optional +86/0086, spaces or dashes inside), Chinese
  landlines with an area code and separator (010-12345678), North American numbers with
  separators ((415) 555-2671, 415-555-2671), and any number written with "+" and a country code
  (8-15 digits, E.164). A bare 10-digit number is never a phone (it is as likely a Unix
  timestamp or an order number), and an 11-digit 1[3-9] number right after an order label is not
  one either.
- IP: IPv4 and IPv6 candidates are validated with `ipaddress`; private and loopback addresses
  are masked too. A four-part version number ("version 1.2.3.4") is a valid IPv4 address and is
  masked; with a leading "v" ("v1.2.3.4") it is not.

Patterns are matched on a copy with full-width digits, letters and symbols made half-width (one
character for one, so offsets hold): numbers typed with a Chinese IME in full-width digits are
found too. When two candidates overlap, the longer wins, then the more specific (ID, card,
e-mail, IP, phone).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from shopmind.text.normalise import to_half_width

KINDS = ("email", "phone", "cn_id", "card", "ip")
_PRIORITY = {"cn_id": 0, "card": 1, "email": 2, "ip": 3, "phone": 4}


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One piece of personal data: its kind, its [start, end) offsets and the text found there."""

    kind: str
    start: int
    end: int
    value: str


# Digit patterns must not touch another digit or an ASCII letter: a phone number inside a longer
# order number or an alphanumeric SKU is not a phone number.
_NOT_AFTER = r"(?<![0-9A-Za-z_])"
_NOT_BEFORE = r"(?![0-9A-Za-z_])"
# A phone number opening with "(" or "+" carries its own boundary ("…0000(415) 555-2671" is two
# numbers), and must: once the number before it is masked, it would be found on a second pass.
_PHONE_START = r"(?:(?<![0-9A-Za-z_])|(?=[(+]))"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9_-])"
)
_CN_MOBILE = re.compile(
    _PHONE_START
    + r"(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]{4}){2})"
    + _NOT_BEFORE
)
_CN_LANDLINE = re.compile(
    _PHONE_START + r"(?:\(0[1-9][0-9]{1,2}\)[ -]?|0[1-9][0-9]{1,2}-)[2-9][0-9]{6,7}" + _NOT_BEFORE
)
_NANP = re.compile(
    _PHONE_START
    + r"(?:\+?1[ .-]?)?(?:\([2-9][0-9]{2}\)[ .-]?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}"
    + _NOT_BEFORE
)
_INTERNATIONAL = re.compile(
    r"(?<!\+)\+[1-9][0-9]{0,2}(?:[ .-]?(?:\([0-9]{1,4}\)|[0-9]{1,6})){1,6}" + _NOT_BEFORE
)
_CN_ID = re.compile(_NOT_AFTER + r"[1-8][0-9]{5} ?[0-9]{8} ?[0-9]{3}[0-9Xx]" + _NOT_BEFORE)
_CARD = re.compile(_NOT_AFTER + r"(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{1,6}){2,5})" + _NOT_BEFORE)
_IPV4 = re.compile(r"(?<![0-9A-Za-z_.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9A-Za-z_]|\.[0-9])")
_IPV6 = re.compile(
    r"(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
    r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{1,4})?"  # may end in an IPv4 address
    r"(?![0-9A-Za-z_:]|\.[0-9])"
)
_LABEL = re.compile(
    r"(?:订单|单号|运单|快递|物流|编号|货号|条码|条形码"
    r"|(?<![a-z])(?:order|sku|ean|upc|gtin|isbn|tracking|invoice|ref))[\s#:：号no.]{0,4}$",
    re.IGNORECASE,
)

_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65"
    " 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def is_valid_cn_id(number: str) -> bool:
    """Whether `number` is an 18-character Chinese resident ID: province, birth date, check char."""
    number = number.upper()
    if len(number) != 18 or not _ascii_digits(number[:17]) or number[:2] not in _PROVINCES:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > date.today():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == number[17]


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (the last digit is the check digit)."""
    if not _ascii_digits(digits):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # isdigit() alone accepts "²", which int() refuses


def _ean13_ok(digits: str) -> bool:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def _card_issuer_ok(digits: str) -> bool:
    first, two, four = digits[0], int(digits[:2]), int(digits[:4])
    if first in "456":
        return True
    if first == "3":
        return two in (30, 34, 35, 36, 37, 38, 39)
    return 2200 <= four <= 2204 or 2221 <= four <= 2720  # Mir, Mastercard 2-series


def _is_card(digits: str) -> bool:
    return (
        13 <= len(digits) <= 19
        and _card_issuer_ok(digits)
        and luhn_ok(digits)
        and not (len(digits) == 13 and _ean13_ok(digits))
    )


def _labelled(text: str, start: int) -> bool:
    return _LABEL.search(text, max(0, start - 12), start) is not None


Found = tuple[str, int, int]  # kind, start, end


def _emails(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for match in _EMAIL.finditer(text, pos, endpos):
        yield "email", match.start(), match.end()


def _phones(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for match in _CN_MOBILE.finditer(text, pos, endpos):
        bare = match.start() == match.start(1) and match.group(1).isdigit()
        if not (bare and _labelled(text, match.start())):
            yield "phone", match.start(), match.end()
    for pattern in (_CN_LANDLINE, _NANP):
        for match in pattern.finditer(text, pos, endpos):
            yield "phone", match.start(), match.end()
    for match in _INTERNATIONAL.finditer(text, pos, endpos):
        if 8 <= sum(char.isdigit() for char in match.group()) <= 15:
            yield "phone", match.start(), match.end()


def _cn_ids(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for match in _CN_ID.finditer(text, pos, endpos):
        if is_valid_cn_id(match.group().replace(" ", "")):
            yield "cn_id", match.start(), match.end()


def _cards(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for match in _CARD.finditer(text, pos, endpos):
        found = match.group()
        if found.isdigit():
            if _is_card(found) and not _labelled(text, match.start()):
                yield "card", match.start(), match.end()
            continue
        # A grouped number may run into what follows ("4111 1111 1111 1111 123", the CVV):
        # drop trailing groups until the rest is a card, or too short to be one.
        groups = re.split(r"[ -]", found)
        for count in range(len(groups), 2, -1):
            digits = "".join(groups[:count])
            if _is_card(digits):
                end = match.start() + len(" ".join(groups[:count]))
                yield "card", match.start(), end
                break


def _ipv4s(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for match in _IPV4.finditer(text, pos, endpos):
        if _ip_ok(match.group()):
            yield "ip", match.start(), match.end()


def _ipv6s(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for match in _IPV6.finditer(text, pos, endpos):
        found = match.group()
        # "::" and "a::b" are valid addresses but more often code or emoticons than a host.
        if max(map(len, re.split(r"[:.]", found))) >= 3 and _ip_ok(found):
            yield "ip", match.start(), match.end()


def _ip_ok(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


# Every pattern matches printable ASCII only (after mapping full-width forms), and none can
# match across the character that ends such a run. So the patterns run on those runs alone, and
# only where the run has what they need: Chinese text is mostly skipped, and a pattern's boundary
# checks see the same neighbours there as on the whole text.
_ASCII_RUN = re.compile(r"[ -~]+")
_DIGIT_DETECTORS = (_phones, _cn_ids, _cards)
# Only the full-width forms our patterns can use: mapping every full-width comma of Chinese
# text too would cost more than the detection (str.translate is slow on non-ASCII strings).
_FULL_WIDTH = re.compile("[０-９Ａ-Ｚａ-ｚ＠＋－．：（）＿％\u3000]+")


def _candidates(text: str) -> Iterator[Found]:
    for run in _ASCII_RUN.finditer(text):
        chunk, start, end = run.group(), run.start(), run.end()
        if "@" in chunk:
            yield from _emails(text, start, end)
        if ":" in chunk:
            yield from _ipv6s(text, start, end)
        digits = sum(map(chunk.count, "0123456789"))
        if digits >= 4 and "." in chunk:
            yield from _ipv4s(text, start, end)
        if digits >= 8:  # the fewest of any phone, ID or card number
            for detect in _DIGIT_DETECTORS:
                yield from detect(text, start, end)


def find_pii(text: str) -> list[PiiSpan]:
    """Personal data in `text`, in order, without overlaps (the longest, most specific wins)."""
    half = _FULL_WIDTH.sub(lambda found: to_half_width(found.group()), text)
    candidates = sorted(_candidates(half), key=lambda c: (c[1] - c[2], _PRIORITY[c[0]], c[1]))
    chosen: list[Found] = []
    for kind, start, end in candidates:
        if all(end <= s or start >= e for _, s, e in chosen):
            chosen.append((kind, start, end))
    chosen.sort(key=lambda c: c[1])
    return [PiiSpan(kind, start, end, text[start:end]) for kind, start, end in chosen]


def mask_pii(text: str, *, keep: set[str] | None = None) -> str:
    """`text` with each piece of personal data replaced by a placeholder naming its kind.

    Placeholders: "[EMAIL]", "[PHONE]", "[CN_ID]", "[CARD]", "[IP]". Kinds listed in `keep`
    ("email", "phone", "cn_id", "card", "ip") are left as they are. Idempotent.
    """
    keep = keep or set()
    unknown = keep - set(KINDS)
    if unknown:
        raise ValueError(f"unknown PII kinds {sorted(unknown)}; valid kinds are {list(KINDS)}")
    # Masking can expose a number that was glued to the masked one ("…0000" + "2001:db8::"), so
    # we mask again until nothing is found. It ends: every span holds a digit, "@" or ":", and
    # the placeholders none, so each round removes at least one of them.
    while spans := [span for span in find_pii(text) if span.kind not in keep]:
        text = _replace(text, spans)
    return text


def _replace(text: str, spans: list[PiiSpan]) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts += [text[position : span.start], f"[{span.kind.upper()}]"]
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
