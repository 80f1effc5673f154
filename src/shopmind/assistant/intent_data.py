"""Training data for the assistant's intent model: the shipped bilingual examples plus Bitext.

Bitext's customer-service set (27 intents, English) is mapped onto the assistant's intents.
Intents the assistant answers from policy pages (accounts, invoices, payments, newsletters,
cancelling or changing an order) become ``faq``; complaints and requests for a person become
``handoff``. Each Bitext intent is capped so that no class of ours drowns the shipped examples of
``return``, ``product_question``, ``greeting`` and ``out_of_scope``, which Bitext lacks.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from shopmind.assistant.intents import INTENT_TASK, INTENTS, load_examples
from shopmind.core.errors import InputError

TASK = INTENT_TASK
BITEXT_MAP = {
    "track_order": "order_status",
    "delivery_period": "order_status",
    "get_refund": "refund",
    "track_refund": "refund",
    "check_refund_policy": "refund",
    "delivery_options": "shipping",
    "set_up_shipping_address": "shipping",
    "change_shipping_address": "shipping",
    "contact_human_agent": "handoff",
    "contact_customer_service": "handoff",
    "complaint": "handoff",
    "cancel_order": "faq",
    "change_order": "faq",
    "place_order": "faq",
    "check_cancellation_fee": "faq",
    "check_invoice": "faq",
    "get_invoice": "faq",
    "payment_issue": "faq",
    "check_payment_methods": "faq",
    "review": "faq",
    "create_account": "faq",
    "delete_account": "faq",
    "edit_account": "faq",
    "switch_account": "faq",
    "recover_password": "faq",
    "registration_problems": "faq",
    "newsletter_subscription": "faq",
}
PER_INTENT = 30  # Bitext rows kept per Bitext intent mapped to a direct intent of ours
PER_FAQ_INTENT = 8  # and per intent folded into ``faq`` (16 of them)


def bitext_rows(path: Path, seed: int = 13) -> list[tuple[str, str]]:
    """(utterance, assistant intent) sampled from Bitext's CSV; a clear error if it is not one."""
    if not path.is_file():
        raise InputError(f"Bitext file not found: {path}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"utterance", "intent"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"{path}: no {', '.join(sorted(missing))} column (is it Bitext's?)")
        by_intent: dict[str, list[str]] = {}
        for row in reader:
            if row["intent"] in BITEXT_MAP and row["utterance"].strip():
                by_intent.setdefault(row["intent"], []).append(row["utterance"].strip())
    if not by_intent:
        raise InputError(f"{path}: no row has a known Bitext intent")
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for intent in sorted(by_intent):
        target = BITEXT_MAP[intent]
        cap = PER_FAQ_INTENT if target == "faq" else PER_INTENT
        texts = by_intent[intent]
        out.extend((t, target) for t in rng.sample(texts, min(cap, len(texts))))
    return out


def training_rows(bitext: Path | None, seed: int = 13) -> list[tuple[str, str]]:
    """The shipped examples plus, when given, the mapped Bitext sample."""
    rows = load_examples()
    if bitext is not None:
        rows += bitext_rows(bitext, seed)
    assert all(label in INTENTS for _, label in rows)
    return rows


def write_csv(rows: list[tuple[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "intent"])
        writer.writerows(rows)
    return path
