"""Parsing of the loose values files carry: prices with currency, times, numbers, lists."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_SYMBOLS: dict[str, str] = {
    "R$": "BRL",
    "US$": "USD",
    "HK$": "HKD",
    "NT$": "TWD",
    "A$": "AUD",
    "C$": "CAD",
    "S$": "SGD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",
    "￥": "CNY",
    "元": "CNY",
    "₩": "KRW",
    "₹": "INR",
    "₽": "RUB",
    "₺": "TRY",
    "RMB": "CNY",
}
_SYMBOL_RE = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True)))
_CODE_RE = re.compile(r"\b([A-Z]{3})\b")
_NUMBER_RE = re.compile(r"-?\d[\d.,'\s]*")
_TRUE = frozenset({"true", "yes", "y", "1", "t", "是", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "f", "否", "off"})


def parse_price(text: Any, default_currency: str | None = None) -> tuple[Decimal, str | None]:
    """'¥1,299.00' -> (1299.00, 'CNY'); '1.299,00 €' -> (1299.00, 'EUR'); '29.99 USD'.

    The currency is the one written with the amount, else ``default_currency``. Raises
    ValueError with a reason for anything that is not one non-negative amount.
    """
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return _check_amount(Decimal(str(text))), default_currency
    raw = str(text).strip()
    if not raw:
        raise ValueError("is empty")
    currency = None
    code = _CODE_RE.search(raw.upper())
    symbol = _SYMBOL_RE.search(raw)
    if code and code.group(1) != "RMB":
        currency = code.group(1)
    elif symbol:
        currency = _SYMBOLS[symbol.group(0)]
    elif code:
        currency = "CNY"
    numbers = _NUMBER_RE.findall(_SYMBOL_RE.sub(" ", raw))
    numbers = [n.strip() for n in numbers if n.strip(" .,'")]
    if len(numbers) != 1:
        raise ValueError(f"{raw!r} is not one amount")
    return _check_amount(parse_decimal(numbers[0])), currency or default_currency


def parse_decimal(text: str) -> Decimal:
    """A decimal from '1,299.50', '1.299,50', '1 299,50' or "1'299.50"."""
    s = text.strip().replace(" ", "").replace("'", "").replace("\u00a0", "")
    if "," in s and "." in s:
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        s = s.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        # One comma followed by exactly three digits is a thousands separator ("1,299").
        s = (
            s.replace(",", "")
            if len(tail) == 3 and s.count(",") >= 1 and head
            else s.replace(",", ".")
        )
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value


def _check_amount(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"must not be negative, got {value}")
    return value


def parse_timestamp(value: Any) -> datetime:
    """ISO 8601, 'YYYY-MM-DD HH:MM:SS', or epoch seconds/ms/µs (by magnitude), as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        raise ValueError("is empty")
    if re.fullmatch(r"\d{9,19}(\.\d+)?", text):
        return _from_epoch(float(text))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("/", "-"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time or epoch number") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _from_epoch(number: float) -> datetime:
    # GA4 exports microseconds, JavaScript milliseconds, Unix tools seconds.
    for divisor in (1.0, 1e3, 1e6, 1e9):
        seconds = number / divisor
        if seconds < 4_102_444_800:  # 2100-01-01
            return datetime.fromtimestamp(seconds, tz=UTC)
    raise ValueError(f"{number} is not a plausible epoch time")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a boolean (use true/false)")


def parse_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = parse_decimal(str(value))
    if number != number.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def typed_attribute(value: Any) -> Any:
    """A CSV cell as the most specific type: bool, int, float, else the stripped string."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    if re.fullmatch(r"-?\d{1,15}\.\d+", text):
        return float(text)
    return text


def split_list(value: Any, seps: str = ",|;") -> list[str]:
    """'a, b | c' -> ['a', 'b', 'c']; lists pass through."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(f"[{re.escape(seps)}]", str(value)) if part.strip()]


def split_category(value: Any) -> list[str]:
    """'Home > Kitchen > Pots' or 'Home/Kitchen' -> ['Home', 'Kitchen', 'Pots']."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value or "")
    sep = ">" if ">" in text else ("/" if "/" in text else ("|" if "|" in text else None))
    parts = text.split(sep) if sep else [text]
    return [p.strip() for p in parts if p.strip()]


Money = tuple[Decimal, str | None]


def offer_prices(regular: Money | None, sale: Money | None) -> dict[str, Any]:
    """Product price fields from a regular and an (active) sale price, as feeds give them.

    A sale below the regular price is the price and the regular one the compare-at price;
    otherwise the regular price stands.
    """
    out: dict[str, Any] = {}
    if sale is not None and (regular is None or sale[0] < regular[0]):
        out["price"], out["currency"] = sale
        if regular is not None:
            out["compare_at_price"] = regular[0]
    elif regular is not None:
        out["price"], out["currency"] = regular
    return out
