"""The conversation: what the API and CLI call. One ``Assistant`` per store; sessions in the store.

A turn: clean the message, check the session's rate limit, pick the reply language, verify a
guest's order number + e-mail when both are given, classify the intent, run at most
``max_tool_calls`` tools chosen by plain code from the customer's own words, compose a grounded
answer with citations (or say nothing relevant is known and offer a hand-off), let an LLM reword
it when one is configured and the check passes, mask personal data, store both messages.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopmind.assistant import tools
from shopmind.assistant.compose import Answer, Citation, compose_policy, phrase, rephrase
from shopmind.assistant.errors import RateLimited, SessionNotFound
from shopmind.assistant.guard import allow_message, clean_message, mask_for_log, mask_reply
from shopmind.assistant.intents import Intent, IntentClassifier, default_classifier
from shopmind.assistant.knowledge import KnowledgeBase, product_vocabulary, terms
from shopmind.assistant.policy import PolicyRules, destination_of, region_of
from shopmind.core.schemas import Document, Order, Product
from shopmind.core.settings import Settings
from shopmind.models.embed import Embedder, get_embedder
from shopmind.models.llm import LLMClient, get_llm
from shopmind.store import Store
from shopmind.store import assistant as db
from shopmind.text import find_pii, message_language

log = logging.getLogger(__name__)

# Product words that tell retrieval what a question is about come from this many products.
MAX_VOCABULARY_PRODUCTS = 20_000
_NO_OTHER = "\x00no-other-order"
ProductLookup = Callable[[str, str], Sequence[Product]]  # (query, language) -> products

_OTHER = re.compile(r"\b(other|another|second|previous|last)\b|另一个|另外|其他|上一个|别的", re.I)
_REFERS = re.compile(
    r"\b(it|this|that|these|those|my order|the order|this order|that order)\b|"
    r"这个订单|那个订单|该订单|这单|它|这个|那个",
    re.I,
)
_SHIP_TOOL = re.compile(
    r"cost|fee|how much|price|free|how long|days|deliver|arriv|express|运费|多少钱|包邮|几天|多久|"
    r"时效|加急|送达|多长时间",
    re.I,
)
# Return shipping is a returns-policy question, not a shipping quote.
_RETURN_WORDS = re.compile(r"\breturn|退货|退回|寄回", re.I)
_EXPRESS = re.compile(r"express|加急|快速", re.I)
_FAULTY = re.compile(r"faulty|broken|defective|damaged|坏|质量问题|破损|损坏", re.I)
_USED = re.compile(
    r"\b(used|worn|washed|without (the )?(tags|box|packaging))\b|用过|穿过|洗过|没有吊牌|包装丢",
    re.I,
)
_ANGRY = re.compile(
    r"\b(furious|angry|ridiculous|unacceptable|scam|worst|terrible|disgusting|useless)\b|"
    r"气死|垃圾|骗子|太差|投诉|愤怒|不可接受",
    re.I,
)
_PRODUCT_ID = re.compile(r"\b(p\d{4,})\b", re.I)
_ATTRIBUTE_WORDS: dict[str, tuple[str, ...]] = {
    "price": ("price", "cost", "how much", "价格", "多少钱", "价钱"),
    "availability": ("stock", "available", "availability", "有货", "库存", "现货"),
    "colour": ("colour", "color", "颜色"),
    "weight_g": ("weigh", "weight", "重量", "多重"),
    "capacity_mah": ("capacity", "mah", "容量"),
    "wattage_w": ("watt", "power", "功率"),
    "material": ("material", "made of", "材质", "材料"),
    "size": ("size", "尺寸", "尺码", "大小"),
    "waterproof": ("waterproof", "water resistant", "防水"),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-session message rate and per-turn tool calls."""

    messages_per_window: int = 20
    window_s: float = 60.0
    max_tool_calls: int = 3
    # A guest who gives wrong order number + e-mail pairs this often can verify no more orders.
    max_failed_verifications: int = 3
    failures_before_handoff: int = 2
    # How often a turn checks whether the shop's pages changed (then they are indexed again).
    refresh_s: float = 30.0


def policy_rules_path(settings: Settings) -> Path:
    """Where the shop's policy rules live: the ``assistant_policy`` setting
    (``SHOPMIND_ASSISTANT_POLICY``) or ``<home>/assistant/policy.json``."""
    configured = settings.assistant_policy
    return configured if configured else settings.home / "assistant" / "policy.json"


class Assistant:
    """A customer-service assistant over one store. Light constructor; ``warm_up()`` builds the
    policy index (also done on first use)."""

    def __init__(
        self,
        store: Store,
        *,
        rules: PolicyRules | None = None,
        llm: LLMClient | None = None,
        embedder: Embedder | None = None,
        classifier: IntentClassifier | None = None,
        product_lookup: ProductLookup | None = None,
        limits: Limits | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.rules = rules
        self.llm = llm
        self.embedder = embedder
        self.product_lookup = product_lookup
        self.limits = limits or Limits()
        self.clock = clock or (lambda: datetime.now(UTC))
        self._classifier = classifier
        self._knowledge: KnowledgeBase | None = None
        self._public_contacts: set[str] = set()
        # Secret marker in the LLM's instructions: if it ever shows in output, the output leaked
        # the prompt and is dropped.
        self.canary = "cnry-" + secrets.token_hex(6)
        self._locks = tuple(threading.Lock() for _ in range(64))
        self._checked_at = 0.0
        self._documents_version: tuple[int, str] | None = None

    # --- set-up ---------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Index the store's documents and fit the intent classifier."""
        if self._knowledge is None:
            self.refresh(force=True)
        if self._classifier is None:
            self._classifier = default_classifier()

    def refresh(self, *, force: bool = False) -> bool:
        """Index the pages again if documents changed in the store since the last look (looks
        at most every ``limits.refresh_s`` seconds unless forced); True when it re-indexed."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.limits.refresh_s:
            return False
        self._checked_at = now
        version = db.documents_version(self.store)
        if not force and version == self._documents_version:
            return False
        documents = [d for d in self.store.iter_models("documents") if isinstance(d, Document)]
        self.set_documents(documents)
        self._documents_version = version
        return True

    def set_documents(self, documents: Sequence[Document]) -> None:
        """Replace the policy knowledge (after documents or the catalog changed)."""
        names: list[str] = []
        for count, product in enumerate(self.store.iter_models("products")):
            if count >= MAX_VOCABULARY_PRODUCTS:
                break
            if isinstance(product, Product):
                names.append(product.title)
                names.extend(product.category_path)
        self._knowledge = KnowledgeBase.from_documents(
            documents, embedder=self.embedder, product_terms=product_vocabulary(names)
        )
        self._public_contacts = public_contacts(documents)

    @property
    def knowledge(self) -> KnowledgeBase:
        self.warm_up()
        assert self._knowledge is not None
        return self._knowledge

    @property
    def classifier(self) -> IntentClassifier:
        self.warm_up()
        assert self._classifier is not None
        return self._classifier

    # --- sessions -------------------------------------------------------------------------

    def start_session(
        self,
        *,
        customer_id: str | None = None,
        language: str | None = None,
        api_key_id: str | None = None,
    ) -> str:
        """A new conversation for a customer (id vouched for by the caller) or a guest;
        ``api_key_id`` is the API key that asked for it (None from the CLI or Python)."""
        if language is not None and language not in ("en", "zh"):
            raise ValueError(f"language must be 'en' or 'zh', got {language!r}")
        return db.create_session(
            self.store, customer_id=customer_id, language=language, api_key_id=api_key_id
        )

    def history(
        self, session_id: str, *, api_key_id: str | None = None, staff: bool = False
    ) -> dict[str, Any]:
        """The session (customer id, language) and its messages, personal data masked.

        ``api_key_id``: the API caller's key, which must have started the session unless
        ``staff`` (a merchant or admin key) is set; None for callers in this process.
        """
        session = self._session(session_id, None if staff else api_key_id)
        return {
            "id": session["id"],
            "customer_id": session["customer_id"],
            "language": session["language"],
            "created_at": session["created_at"],
            "messages": db.list_messages(self.store, session_id),
        }

    def handoffs(self, *, status: str | None = "open", limit: int = 100) -> list[dict[str, Any]]:
        """The hand-off queue, newest first."""
        return db.list_handoffs(self.store, status=status, limit=limit)

    def _session(self, session_id: str, api_key_id: str | None = None) -> dict[str, Any]:
        """The session row; SessionNotFound also when ``api_key_id`` did not start it.

        A session id alone is not enough over the API: one that leaks (a log line, a screenshot)
        must not let another storefront key read a customer's conversation or speak in it. The
        answer for someone else's session is the same 404 as for no session, so ids cannot be
        probed.
        """
        session = db.get_session(self.store, session_id)
        if session is None or (api_key_id is not None and session["api_key_id"] != api_key_id):
            raise SessionNotFound(session_id)
        return session

    # --- one turn -------------------------------------------------------------------------

    def reply(self, session_id: str, message: str, *, api_key_id: str | None = None) -> Answer:
        """Answer one customer message in the session; ``api_key_id``, the API caller's key,
        must be the one that started it (None for callers in this process).

        Turns of one session run one at a time in this process (its state is read, changed and
        written back); servers with several processes should pin a session to one of them.
        """
        lock = self._locks[zlib.crc32(session_id.encode()) % len(self._locks)]
        with lock:
            return self._reply(session_id, message, api_key_id)

    def _reply(self, session_id: str, message: str, api_key_id: str | None) -> Answer:
        self.warm_up()
        self.refresh()
        session = self._session(session_id, api_key_id)
        state: dict[str, Any] = dict(session["state"] or {})
        allowed, times = allow_message(
            list(state.get("times", [])),
            limit=self.limits.messages_per_window,
            window_s=self.limits.window_s,
        )
        state["times"] = times
        if not allowed:
            db.save_session_state(self.store, session_id, state, session["language"])
            raise RateLimited(phrase(session["language"] or "en", "rate_limited"))
        text = clean_message(message)
        language = _language(text, session["language"])
        identity = tools.Identity(
            customer_id=session["customer_id"],
            verified_orders=set(state.get("verified_orders", [])),
        )
        turn = _Turn(self, session_id, identity, state, language, text)
        answer = turn.run()
        state["verified_orders"] = sorted(identity.verified_orders)
        if answer.grounded or answer.handoff_id:
            state["failures"] = 0
        else:
            state["failures"] = int(state.get("failures", 0)) + 1
            if state["failures"] >= self.limits.failures_before_handoff and not answer.handoff_id:
                turn.handoff(answer, "repeated_failure")
                state["failures"] = 0
        answer = rephrase(answer, self.llm, canary=self.canary)
        answer.text = mask_reply(answer.text, self._allowed_pii(identity, answer))
        log.info(
            "assistant turn session=%s intent=%s tools=%s grounded=%s text=%r",
            session_id,
            answer.intent,
            answer.tool_calls,
            answer.grounded,
            mask_for_log(text)[:200],
        )
        db.add_messages(
            self.store,
            session_id,
            [
                {"role": "user", "text": mask_for_log(text)},
                {
                    "role": "assistant",
                    "text": mask_for_log(answer.text),
                    "intent": answer.intent,
                    "citations": [c.as_dict() for c in answer.citations],
                },
            ],
        )
        db.save_session_state(self.store, session_id, state, language)
        return answer

    def _allowed_pii(self, identity: tools.Identity, answer: Answer) -> set[str]:
        allowed = set(self._public_contacts)
        for cite in answer.citations:
            if cite.kind == "order":
                order = tools.visible_order(self.store, identity, cite.id)
                if order is not None and order.email:
                    allowed.add(order.email)
        return allowed


def public_contacts(documents: Sequence[Document]) -> set[str]:
    """E-mail addresses the shop publishes (not personal data: replies may show them): those on
    a contact page, or on two or more pages. Any other address in a page is masked."""
    seen: dict[str, int] = {}
    contact: set[str] = set()
    for doc in documents:
        emails = {span.value for span in find_pii(doc.body) if span.kind == "email"}
        for email in emails:
            seen[email] = seen.get(email, 0) + 1
        if re.search(r"contact|联系", f"{doc.id} {doc.title}", re.I):
            contact |= emails
    return contact | {email for email, count in seen.items() if count >= 2}


def _language(text: str, session_language: str | None) -> str:
    detected = message_language(text)
    if detected in ("en", "zh"):
        return detected
    return session_language or "en"


class _Turn:
    """The work of one message; tool calls are counted against the per-turn cap."""

    def __init__(
        self,
        assistant: Assistant,
        session_id: str,
        identity: tools.Identity,
        state: dict[str, Any],
        language: str,
        text: str,
    ) -> None:
        self.a = assistant
        self.session_id = session_id
        self.identity = identity
        self.state = state
        self.language = language
        self.text = text
        self.tool_calls: list[str] = []
        self.capped = False

    def _tool(self, name: str) -> bool:
        if len(self.tool_calls) >= self.a.limits.max_tool_calls:
            self.capped = True
            return False
        self.tool_calls.append(name)
        return True

    def run(self) -> Answer:
        if not self.text:
            return self._finish(Answer(phrase(self.language, "greeting"), self.language), None)
        intent = self.a.classifier.predict(self.text)
        slots = intent.slots
        # Only a guest proves orders in the chat; a signed-in customer sees their own orders only.
        if self.identity.is_guest and slots.email and slots.order_ids:
            failed = int(self.state.get("failed_verifications", 0))
            if failed >= self.a.limits.max_failed_verifications:
                return self._finish(self._verification_locked(), intent)
            for order_id in slots.order_ids[: self.a.limits.max_tool_calls]:
                if self._tool("verify_guest") and not tools.verify_guest(
                    self.a.store, self.identity, order_id, slots.email
                ):
                    failed += 1
            self.state["failed_verifications"] = failed
        if intent.name == "handoff" or (_ANGRY.search(self.text) and intent.name != "greeting"):
            reason = "requested" if intent.name == "handoff" else "angry"
            answer = Answer("", self.language, intent="handoff")
            self.handoff(answer, reason)
            return self._finish(answer, intent)
        if intent.name == "greeting" and intent.rule:
            return self._finish(Answer(phrase(self.language, "greeting"), self.language), intent)
        if intent.name == "order_status" or (
            slots.order_ids and intent.name not in ("return", "refund", "product_question")
        ):
            return self._finish(self._orders(intent), intent)
        if intent.name in ("return", "refund"):
            order_ids = self._order_refs(intent)
            if order_ids == [_NO_OTHER]:
                return self._finish(self._no_other_order(), intent)
            if order_ids:
                return self._finish(self._eligibility(order_ids), intent)
        if intent.name == "shipping" and self.a.rules is not None:
            place = destination_of(self.text)
            if (
                (_SHIP_TOOL.search(self.text) or place)
                and not _RETURN_WORDS.search(self.text)
                and self._tool("shipping_quote")
            ):
                return self._finish(self._shipping(place), intent)
        # A question the intent model calls out of scope may still name a product ("tell me
        # about" + a title in another language): the product's record answers it.
        if intent.name == "product_question" or (
            intent.name == "out_of_scope" and self.a.product_lookup is not None
        ):
            product_answer = self._product(slots.order_ids)
            if product_answer is not None:
                return self._finish(product_answer, intent)
        if intent.name == "out_of_scope" and not intent.low_confidence:
            hits = self.a.knowledge.search(self.text, language=self.language, min_coverage=0.75)
            if not hits:
                return self._finish(
                    Answer(
                        phrase(self.language, "out_of_scope"),
                        self.language,
                        grounded=False,
                        offer_handoff=True,
                    ),
                    intent,
                )
        hits = self.a.knowledge.search(self.text, language=self.language)
        answer = compose_policy(self.text, hits, self.language)
        return self._finish(answer, intent)

    def _finish(self, answer: Answer, intent: Intent | None) -> Answer:
        if answer.intent is None and intent is not None:
            answer.intent = intent.name
        answer.tool_calls = list(self.tool_calls)
        if self.capped:
            note = (
                "（每条消息最多处理 {n} 项查询，其余请分开询问。）"
                if self.language == "zh"
                else " (I can look up at most {n} things per message; please ask about the rest "
                "separately.)"
            )
            answer.text += note.format(n=self.a.limits.max_tool_calls)
        return answer

    # --- orders ---------------------------------------------------------------------------

    def _order_refs(self, intent: Intent) -> list[str]:
        """Order ids the message means: named ones, else "the other order", else the last one."""
        if intent.slots.order_ids:
            return list(intent.slots.order_ids)
        mentioned: list[str] = list(self.state.get("orders_mentioned", []))
        if _OTHER.search(self.text) and mentioned:
            last = mentioned[-1]
            visible = [
                o.id for o in tools.visible_orders(self.a.store, self.identity) if o.id != last
            ]
            unseen = [o for o in visible if o not in mentioned]
            candidates = unseen or [o for o in mentioned if o != last] or visible
            return candidates[:1] or [_NO_OTHER]
        if mentioned and (intent.name == "order_status" or _REFERS.search(self.text)):
            return [mentioned[-1]]
        return []

    def _remember(self, order_id: str) -> None:
        mentioned = [o for o in self.state.get("orders_mentioned", []) if o != order_id]
        self.state["orders_mentioned"] = [*mentioned, order_id][-10:]

    def _orders(self, intent: Intent) -> Answer:
        zh = self.language == "zh"
        order_ids = self._order_refs(intent)
        if not order_ids:
            if self.identity.is_guest and not self.identity.verified_orders:
                text = (
                    "请提供订单号和下单时使用的邮箱，我来帮您查询。"
                    if zh
                    else "Please give me your order number and the e-mail address used on the "
                    "order, and I'll look it up."
                )
                # A general question about orders ("when does tracking show?") may have a
                # policy answer; give it with the request for the order details.
                hits = self.a.knowledge.search(self.text, language=self.language, min_coverage=0.6)
                if hits:
                    answer = compose_policy(self.text, hits, self.language)
                    answer.text += ("" if zh else " ") + text
                    return answer
                return Answer(text, self.language, grounded=True)
            if not self._tool("list_orders"):
                return Answer("", self.language)
            orders = tools.visible_orders(self.a.store, self.identity, limit=5)
            if not orders:
                text = "您还没有订单。" if zh else "I can't find any orders on your account."
                return Answer(text, self.language, grounded=True)
            order_ids = [orders[0].id]
        answers: list[Answer] = []
        if order_ids == [_NO_OTHER]:
            return self._no_other_order()
        for order_id in order_ids:
            if not self._tool("order_status"):
                break
            order = tools.visible_order(self.a.store, self.identity, order_id)
            if order is None:
                answers.append(self._no_such_order(order_id))
                continue
            self._remember(order.id)
            answers.append(tools.order_status(order, self.language))
        return _join(answers, self.language)

    def _verification_locked(self) -> Answer:
        text = (
            "验证失败次数过多，本次对话不能再查询订单。需要为您转接人工客服吗？"
            if self.language == "zh"
            else "Too many failed checks: I can't look up orders in this conversation any more. "
            "Would you like me to pass you to a member of our team?"
        )
        return Answer(text, self.language, grounded=False, offer_handoff=True)

    def _no_other_order(self) -> Answer:
        zh = self.language == "zh"
        if self.identity.is_guest:
            text = (
                "在本次对话中我只能查看您已验证的订单。请提供另一个订单的订单号和下单邮箱。"
                if zh
                else "I can only see the orders you have verified in this conversation. Please "
                "give the other order's number and the e-mail address used on it."
            )
        else:
            text = (
                "您的账户下没有其他订单。" if zh else "I can't find another order on your account."
            )
        return Answer(text, self.language, grounded=True)

    def _no_such_order(self, order_id: str) -> Answer:
        zh = self.language == "zh"
        if self.identity.is_guest:
            text = (
                f"我无法查看订单 {order_id}。请同时提供订单号和下单邮箱以验证身份。"
                if zh
                else f"I can't show order {order_id}. Please give the order number together with "
                "the e-mail address used on the order so I can verify it."
            )
        else:
            text = (
                f"您的账户下没有找到订单 {order_id}。"
                if zh
                else f"I can't find an order {order_id} on your account."
            )
        return Answer(text, self.language, grounded=True)

    def _eligibility(self, order_ids: list[str]) -> Answer:
        if self.a.rules is None:
            hits = self.a.knowledge.search(self.text, language=self.language)
            return compose_policy(self.text, hits, self.language)
        answers: list[Answer] = []
        for order_id in order_ids:
            if not self._tool("return_eligibility"):
                break
            order = tools.visible_order(self.a.store, self.identity, order_id)
            if order is None:
                answers.append(self._no_such_order(order_id))
                continue
            self._remember(order.id)
            products = self._products(order)
            decision = tools.return_eligibility(
                order,
                products,
                self.a.rules,
                now=self.a.clock(),
                condition_ok=False if _USED.search(self.text) else None,
                faulty=bool(_FAULTY.search(self.text)),
            )
            answer = tools.eligibility_answer(order, decision, self.a.rules, self.language)
            total = order.total or Decimal(0)
            if decision.eligible and total >= Decimal("1000"):
                self.handoff(answer, "high_value_refund")
            answers.append(answer)
        return _join(answers, self.language)

    def _products(self, order: Order) -> dict[str, Product]:
        found = self.a.store.get("products", [line.product_id for line in order.lines])
        return {k: v for k, v in found.items() if isinstance(v, Product)}

    # --- shipping and products --------------------------------------------------------------

    def _shipping(self, place: str | None) -> Answer:
        """``place``: the destination the question names (``destination_of``), if any."""
        assert self.a.rules is not None
        currency = "CNY" if self.language == "zh" else "USD"
        region = region_of(place or self.text)
        if place is not None and region is None:
            return tools.unlisted_destination_answer(self.a.rules, self.language, place)
        subtotal: Decimal | None = None
        mentioned = self.state.get("orders_mentioned", [])
        if mentioned and _REFERS.search(self.text):
            order = tools.visible_order(self.a.store, self.identity, mentioned[-1])
            if order is not None:
                currency = order.currency
                region = region or tools.order_region(order)
                subtotal = order.subtotal
        for code in ("USD", "EUR", "CNY"):
            if code.lower() in self.text.lower():
                currency = code
        return tools.shipping_answer(
            self.a.rules,
            self.language,
            currency=currency,
            region=region,
            subtotal=subtotal,
            express=bool(_EXPRESS.search(self.text)),
        )

    def _product(self, id_like: Sequence[str]) -> Answer | None:
        zh = self.language == "zh"
        products: list[Product] = []
        # Ids in the message (the slot extractor reads them as order ids) may be product ids.
        ids = list(dict.fromkeys([*_PRODUCT_ID.findall(self.text), *id_like]))
        if ids and self._tool("product_lookup"):
            found = self.a.store.get("products", ids)
            products = [p for p in found.values() if isinstance(p, Product)]
        elif self.a.product_lookup is not None and self._tool("product_search"):
            products = [
                p
                for p in self.a.product_lookup(self.text, self.language)
                if _names_product(self.text, p, self.language)
            ][:1]
        if not products:
            return None
        product = products[0]
        wanted = [
            name
            for name, words in _ATTRIBUTE_WORDS.items()
            if any(w in self.text.lower() for w in words)
        ]
        cites: list[Citation] = [Citation("product", product.id, "title", product.title)]
        facts: list[str] = []
        # An open question ("tell me about …") gets every fact the record states.
        for name in wanted or ["price", "availability", *product.attributes]:
            value = _product_value(product, name)
            if value is None:
                continue
            cites.append(Citation("product", product.id, name, value))
            facts.append(_fact(name, value, self.language))
        if not facts:
            text = (
                f"关于「{product.title}」，商品资料中没有这项信息。需要为您转接人工客服吗？"
                if zh
                else f'The product information for "{product.title}" doesn\'t say. Would you '
                "like me to pass your question to our team?"
            )
            return Answer(text, self.language, cites, grounded=False, offer_handoff=True)
        joined = "；".join(facts) if zh else "; ".join(facts)
        text = f"「{product.title}」——{joined}。" if zh else f"{product.title} — {joined}."
        return Answer(text, self.language, cites, intent="product_question")

    # --- hand-off ---------------------------------------------------------------------------

    def handoff(self, answer: Answer, reason: str) -> None:
        """Create a ticket with a summary and tell the customer."""
        if not self._tool("handoff"):
            return
        recent = db.list_messages(self.a.store, self.session_id, limit=6)
        lines = [f"{m['role']}: {m['text']}" for m in recent]
        lines.append(f"user: {mask_for_log(self.text)}")
        summary = (
            f"reason: {reason}; language: {self.language}; "
            f"customer: {self.identity.customer_id or 'guest'}; "
            f"orders: {', '.join(self.state.get('orders_mentioned', [])) or '-'}\n"
            + "\n".join(lines)
        )
        ticket = tools.create_handoff(
            self.a.store,
            session_id=self.session_id,
            identity=self.identity,
            reason=reason,
            summary=summary,
            language=self.language,
        )
        answer.handoff_id = ticket
        answer.offer_handoff = False
        done = phrase(self.language, "handoff_done", ticket=ticket)
        sep = "" if self.language == "zh" else " "
        answer.text = f"{answer.text}{sep}{done}" if answer.text else done
        answer.tool_calls = list(self.tool_calls)


def _names_product(text: str, product: Product, language: str) -> bool:
    """Whether the question names this product: two of the product's title words (or its
    brand), so a search's nearest guess is not taken for the product asked about."""
    title = set(terms(f"{product.title} {product.brand or ''}"))
    asked = set(terms(text, language))
    shared = asked & title
    brand = {t for t in terms(product.brand or "")}
    return len(shared) >= 2 or bool(brand and brand <= asked)


# Customer-facing names of common product fields (en, zh); other fields read as their key.
_FIELD_NAMES: dict[str, tuple[str, str]] = {
    "price": ("price", "价格"),
    "availability": ("availability", "库存"),
    "colour": ("colour", "颜色"),
    "weight_g": ("weight", "重量"),
    "capacity_mah": ("capacity", "容量"),
    "wattage_w": ("power", "功率"),
    "material": ("material", "材质"),
    "size": ("size", "尺寸"),
    "shoe_size": ("shoe size", "鞋码"),
    "gender": ("for", "适用"),
    "waterproof": ("waterproof", "防水"),
}
_UNITS = {"_g": " g", "_kg": " kg", "_mah": " mAh", "_w": " W", "_ml": " ml", "_cm": " cm"}
_AVAILABILITY = {
    "in_stock": "有货",
    "out_of_stock": "缺货",
    "preorder": "预售",
    "backorder": "缺货待补",
}


def _fact(name: str, value: str, language: str) -> str:
    """ "weight: 270 g" / "重量：270 g" — the cited value itself, with a readable name and unit."""
    zh = language == "zh"
    label = _FIELD_NAMES.get(name, (name.replace("_", " "), name.replace("_", " ")))[int(zh)]
    unit = next((u for suffix, u in _UNITS.items() if name.endswith(suffix)), "")
    if name == "availability":
        value = _AVAILABILITY.get(value, value) if zh else value.replace("_", " ")
    return f"{label}：{value}{unit}" if zh else f"{label}: {value}{unit}"


def _product_value(product: Product, name: str) -> str | None:
    if name == "price":
        if product.price is None:
            return None
        return f"{product.price} {product.currency or ''}".strip()
    if name == "availability":
        return product.availability.value if product.availability is not None else None
    value = product.attributes.get(name)
    return None if value is None else str(value)


def _join(answers: list[Answer], language: str) -> Answer:
    if not answers:
        return Answer("", language)
    if len(answers) == 1:
        return answers[0]
    sep = "\n"
    return Answer(
        sep.join(a.text for a in answers),
        language,
        [c for a in answers for c in a.citations],
        grounded=all(a.grounded for a in answers),
        intent=answers[0].intent,
    )


def build_assistant(
    store: Store,
    settings: Settings,
    *,
    product_lookup: ProductLookup | None = None,
) -> Assistant:
    """The assistant as configured: policy rules from ``policy_rules_path`` when the file exists,
    the passage embedder named by ``assistant_embedder`` (default ``e5-small``; ``none``: BM25
    only), and the configured LLM for rewording only when ``assistant_rephrase`` is set
    (``SHOPMIND_ASSISTANT_REPHRASE=true``): the grounded text is the answer otherwise. (Measured on
    a shared 2-core CPU, the default SmolLM2-135M took 4-50 s a turn and padded Chinese answers
    with English chatter, so rewording is opt-in.)"""
    path = policy_rules_path(settings)
    rules = PolicyRules.load(path) if path.is_file() else None
    embedder_name = settings.assistant_embedder
    embedder = None if embedder_name == "none" else get_embedder(embedder_name)
    return Assistant(
        store,
        rules=rules,
        llm=get_llm(settings) if settings.assistant_rephrase else None,
        embedder=embedder,
        product_lookup=product_lookup,
    )
