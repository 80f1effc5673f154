"""Guardrails: input hygiene, personal data in replies and logs, rate and tool-call limits.

Text from documents, reviews and product descriptions is data: it is only ever quoted. Tools are
chosen from the customer's own message by plain code, so an instruction planted in a document
cannot call one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from shopmind.text import clean_text, find_pii, mask_pii, strip_invisible

MAX_MESSAGE_CHARS = 2000


def clean_message(text: str) -> str:
    """A customer's message made safe to process: invisible characters out, length capped."""
    return clean_text(strip_invisible(text))[:MAX_MESSAGE_CHARS].strip()


def mask_for_log(text: str) -> str:
    """Personal data replaced by placeholders, for logs and stored history."""
    return mask_pii(text)


def mask_reply(text: str, allowed: Iterable[str]) -> str:
    """Mask personal data in a reply except values in ``allowed`` (the shop's own published
    contact details, the verified owner's own data)."""
    keep = {a.strip().lower() for a in allowed if a}
    spans = [s for s in find_pii(text) if s.value.strip().lower() not in keep]
    out: list[str] = []
    position = 0
    for span in spans:
        out += [text[position : span.start], f"[{span.kind.upper()}]"]
        position = span.end
    out.append(text[position:])
    return "".join(out)


def allow_message(
    times: list[float], *, limit: int, window_s: float, now: float | None = None
) -> tuple[bool, list[float]]:
    """Sliding-window rate limit over a session's message times; returns (allowed, new times)."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    now = time.time() if now is None else now
    recent = [t for t in times if now - t < window_s]
    if len(recent) >= limit:
        return False, recent
    return True, [*recent, now]
