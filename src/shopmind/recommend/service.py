"""What the API and CLI call: recommendation surfaces over the store and the promoted model.

Every request reads the shopper's latest events, purchases and locale from the store, so what
they did a moment ago shapes the answer with no retraining; stock is checked live. A product
added after training is embedded on first use and gets content neighbours at once.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shopmind.core.errors import InputError, NotFoundError
from shopmind.core.schemas import Event, EventName, Product
from shopmind.models.embed import Embedder, get_embedder
from shopmind.recommend import experiments as ab
from shopmind.recommend.catalog import ItemFacts
from shopmind.recommend.content import embed_items
from shopmind.recommend.home import because_viewed, home
from shopmind.recommend.items import Thresholds, bought_together, complete_cart, similar
from shopmind.recommend.rules import RecConfig
from shopmind.recommend.schemas import ArmIn, ExperimentIn, RecItem, RecResponse
from shopmind.recommend.surfaces import SHOWN_LIST_PREFIX, Shopper
from shopmind.recommend.trained import TrainedRecs, load_promoted, publish, train_recs
from shopmind.store import Store
from shopmind.store import recs as queries

HISTORY_LIMIT = 200  # latest events read per request: a model's window and the taste behind it
NEW_PRODUCT_EVENTS = 5  # latest events whose products, if newer than the model, are embedded
MISSING_RETRY_S = 60.0
EXPERIMENTS_TTL_S = 1.0  # how stale the running-experiment list may be (see _running_experiments)
_changes = [0]  # bumped by create/stop_experiment here, so this process never reads a stale list


class RecommendService:
    """Surfaces over one trained recommender; safe to share between request threads."""

    def __init__(
        self,
        store: Store,
        recs: TrainedRecs,
        *,
        config: RecConfig | None = None,
        thresholds: Thresholds | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.store = store
        self.recs = recs
        self.config = config or RecConfig()
        self.thresholds = thresholds or Thresholds()
        self._embedder = embedder
        self._lock = threading.Lock()
        self._missing: dict[str, float] = {}  # product id -> when to look it up again
        self._running: tuple[float, int, list[dict[str, Any]]] | None = None

    @classmethod
    def open(
        cls,
        store: Store,
        *,
        embedder: Embedder | None = None,
        train_if_missing: bool = True,
        root: Path | None = None,
        **options: Any,
    ) -> RecommendService:
        """The promoted recommender; trained and promoted first when there is none."""
        recs = load_promoted(root)
        if recs is None:
            if not train_if_missing:
                raise NotFoundError("recommender", "recommend (run: shopmind recommend train)")
            recs = train_recs(store, embedder or get_embedder())
            publish(recs, root=root)
        return cls(store, recs, embedder=embedder, **options)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.recs.content.embedder_name)
        return self._embedder

    # --- reading the shopper ------------------------------------------------------------------

    def shopper(
        self,
        user_id: str | None = None,
        session_id: str | None = None,
        *,
        locale: str | None = None,
        currency: str | None = None,
        exclude: Sequence[str] = (),
    ) -> Shopper:
        rows = queries.shopper_rows(self.store, user_id, session_id, limit=HISTORY_LIMIT)
        self._learn_new_products(rows.events[:NEW_PRODUCT_EVENTS])
        return Shopper(
            user_id=user_id,
            session_id=session_id,
            events=rows.events,
            purchased=rows.purchased,
            locale=locale or rows.locale,
            currency=currency.upper() if currency else None,
            now=datetime.now(UTC),
            exclude=list(exclude),
        )

    def out_of_stock(self, ids: Sequence[str]) -> set[str]:
        """Products that cannot be bought now (stock 0 or marked so), read live."""
        stock = queries.product_stock(self.store, ids)
        return {
            pid
            for pid, (count, availability) in stock.items()
            if availability in ("out_of_stock", "discontinued")
            or (count is not None and count <= 0)
        }

    def _learn_new_products(self, events: Sequence[queries.EventRow]) -> None:
        """Give products newer than the model a catalog position (content only), so a shopper
        who just viewed one gets its neighbours; ids the store lacks are remembered."""
        catalog = self.recs.catalog
        now = time.monotonic()
        for pid in {pid for e in events for pid in e.product_ids}:
            if catalog.position(pid) is None and self._missing.get(pid, 0.0) <= now:
                try:
                    self.position(pid)
                except NotFoundError:  # an event may name a product before it is ingested
                    self._missing[pid] = now + MISSING_RETRY_S

    def position(self, product_id: str) -> int:
        """The product's catalog position; a product newer than the model is embedded now."""
        pos = self.recs.catalog.position(product_id)
        if pos is not None:
            return pos
        found = self.store.get("products", [product_id]).get(product_id)
        if not isinstance(found, Product):
            raise NotFoundError("product", product_id)
        facts = ItemFacts.of(found)
        vector = embed_items(self.embedder, self.store, [facts])[0]
        with self._lock:
            pos = self.recs.catalog.append(facts)
            self.recs.content.add(pos, vector)
        return pos

    # --- surfaces -----------------------------------------------------------------------------

    def home(
        self,
        user_id: str | None,
        *,
        session_id: str | None = None,
        limit: int = 10,
        category: str | None = None,
        locale: str | None = None,
        currency: str | None = None,
        exclude: Sequence[str] = (),
        record: bool = False,
    ) -> RecResponse:
        """The home feed; a shopper with no history gets trending for their locale."""
        _check_limit(limit)
        if not user_id and not session_id:
            raise InputError("give a user_id or a session_id")
        shopper = self.shopper(
            user_id, session_id, locale=locale, currency=currency, exclude=exclude
        )
        config, experiment, arm = self._config("home", user_id or session_id or "")
        items, cold = home(
            self.recs, shopper, config, limit, category=category, out_of_stock=self.out_of_stock
        )
        response = self._response("home", items, shopper, experiment, arm, cold_start=cold)
        return self._recorded(response, shopper, record)

    def because_viewed(
        self, user_id: str | None, *, session_id: str | None = None, limit: int = 10
    ) -> RecResponse:
        _check_limit(limit)
        shopper = self.shopper(user_id, session_id)
        items, anchor = because_viewed(
            self.recs, shopper, self.config, limit, out_of_stock=self.out_of_stock
        )
        return self._response("because_viewed", items, shopper, None, None, anchor=anchor)

    def similar(
        self,
        product_id: str,
        *,
        limit: int = 10,
        user_id: str | None = None,
        session_id: str | None = None,
        record: bool = False,
    ) -> RecResponse:
        def pick(pos: int, config: RecConfig, shopper: Shopper | None) -> list[RecItem]:
            return similar(
                self.recs, pos, config, limit, shopper=shopper, out_of_stock=self.out_of_stock
            )

        return self._for_product("similar", pick, product_id, limit, user_id, session_id, record)

    def bought_together(
        self,
        product_id: str,
        *,
        limit: int = 10,
        user_id: str | None = None,
        session_id: str | None = None,
        record: bool = False,
    ) -> RecResponse:
        def pick(pos: int, config: RecConfig, shopper: Shopper | None) -> list[RecItem]:
            return bought_together(
                self.recs,
                pos,
                config,
                limit,
                thresholds=self.thresholds,
                shopper=shopper,
                out_of_stock=self.out_of_stock,
            )

        return self._for_product(
            "bought_together", pick, product_id, limit, user_id, session_id, record
        )

    def _for_product(
        self,
        surface: str,
        pick: Callable[[int, RecConfig, Shopper | None], list[RecItem]],
        product_id: str,
        limit: int,
        user_id: str | None,
        session_id: str | None,
        record: bool,
    ) -> RecResponse:
        """A surface anchored on one product: its config (or experiment arm), items, response."""
        _check_limit(limit)
        pos = self.position(product_id)
        shopper = self._maybe_shopper(user_id, session_id)
        config, experiment, arm = self._config(surface, user_id or session_id or "")
        items = pick(pos, config, shopper)
        response = self._response(surface, items, shopper, experiment, arm, anchor=product_id)
        return self._recorded(response, shopper, record)

    def cart(
        self,
        product_ids: Sequence[str],
        *,
        limit: int = 10,
        user_id: str | None = None,
        session_id: str | None = None,
        record: bool = False,
    ) -> RecResponse:
        """Complete the cart: what goes with everything in it."""
        _check_limit(limit)
        if not product_ids:
            raise InputError("the cart is empty: give at least one product id")
        missing = [pid for pid in product_ids if not self._exists(pid)]
        if missing:
            raise NotFoundError("product", ", ".join(missing))
        positions = [self.position(pid) for pid in product_ids]
        shopper = self._maybe_shopper(user_id, session_id)
        config, experiment, arm = self._config("cart", user_id or session_id or "")
        items = complete_cart(
            self.recs,
            positions,
            config,
            limit,
            thresholds=self.thresholds,
            shopper=shopper,
            out_of_stock=self.out_of_stock,
        )
        return self._recorded(
            self._response("cart", items, shopper, experiment, arm), shopper, record
        )

    def _exists(self, product_id: str) -> bool:
        if self.recs.catalog.position(product_id) is not None:
            return True
        return bool(self.store.get("products", [product_id]))

    def _maybe_shopper(self, user_id: str | None, session_id: str | None) -> Shopper | None:
        return self.shopper(user_id, session_id) if user_id or session_id else None

    def _response(
        self,
        surface: str,
        items: list[RecItem],
        shopper: Shopper | None,
        experiment: str | None,
        arm: str | None,
        *,
        anchor: str | None = None,
        cold_start: bool = False,
    ) -> RecResponse:
        return RecResponse(
            surface=surface,
            items=items,
            user_id=shopper.user_id if shopper else None,
            anchor=anchor,
            cold_start=cold_start,
            experiment=experiment,
            arm=arm,
            model=str(self.recs.meta.get("method", self.recs.model.name)),
        )

    def _recorded(
        self, response: RecResponse, shopper: Shopper | None, record: bool
    ) -> RecResponse:
        if record and shopper is not None:
            self.record_impression(response, shopper)
        return response

    def record_impression(self, response: RecResponse, shopper: Shopper) -> None:
        """Log what was shown as a ``view_item_list`` event: experiments read it, and the
        already-shown rule keeps it out of the next few requests."""
        if not response.items or not (shopper.user_id or shopper.session_id):
            return
        properties: dict[str, Any] = {"item_list_id": SHOWN_LIST_PREFIX + response.surface}
        if response.experiment:
            properties.update(experiment=response.experiment, arm=response.arm)
        event = Event(
            id=f"rec-{uuid.uuid4().hex}",
            name=EventName.VIEW_ITEM_LIST,
            customer_id=shopper.user_id,
            session_id=shopper.session_id,
            product_ids=[item.id for item in response.items],
            timestamp=shopper.now,
            properties=properties,
        )
        self.store.add_events([event])

    # --- experiments --------------------------------------------------------------------------

    def _config(self, surface: str, user: str) -> tuple[RecConfig, str | None, str | None]:
        """The configuration for this user: their arm's, when an experiment runs here."""
        if not user:
            return self.config, None, None
        for row in self._running_experiments():
            if row["surface"] == surface:
                arms = [ArmIn.model_validate(a) for a in row["arms"]]
                arm = ab.bucket(row["id"], user, arms)
                return arm.rec_config(self.config), row["id"], arm.name
        return self.config, None, None

    def _running_experiments(self) -> list[dict[str, Any]]:
        """Running experiments, read at most once per `EXPERIMENTS_TTL_S` (one query fewer per
        request); a change made through this module is seen at once, one made by another
        process within that time."""
        now = time.monotonic()
        cached = self._running
        if cached is not None and now - cached[0] < EXPERIMENTS_TTL_S and cached[1] == _changes[0]:
            return cached[2]
        rows = queries.list_experiments(self.store, status="running")
        self._running = (now, _changes[0], rows)
        return rows


def _sold_out(count: int | None, availability: str | None) -> bool:
    """Out of stock, or none left of an item sold from stock (pre- and back-orders still sell)."""
    if availability == "out_of_stock":
        return True
    return availability in (None, "in_stock") and count is not None and count <= 0


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= 100:
        raise InputError(f"limit must be between 1 and 100, got {limit}")


# --- experiments (no trained model needed) ------------------------------------------------------


def create_experiment(store: Store, body: ExperimentIn) -> dict[str, Any]:
    """Store a running experiment; its arms' configs are checked now, not at the first request."""
    names = [arm.name for arm in body.arms]
    if len(set(names)) != len(names):
        raise InputError(f"arm names must be unique, got {', '.join(names)}")
    for arm in body.arms:
        try:
            arm.rec_config()
        except ValueError as exc:
            raise InputError(f"arm {arm.name!r}: invalid config: {exc}") from None
    running = [
        e["id"] for e in queries.list_experiments(store, "running") if e["surface"] == body.surface
    ]
    if running:
        raise InputError(f"experiment {running[0]!r} already runs on {body.surface}; stop it first")
    row = {
        "id": body.id,
        "name": body.name or body.id,
        "surface": body.surface,
        "arms": [arm.model_dump() for arm in body.arms],
        "status": "running",
        "created_at": datetime.now(UTC),
        "stopped_at": None,
    }
    queries.insert_experiment(store, row)
    _changes[0] += 1
    return row


def stop_experiment(store: Store, experiment_id: str) -> dict[str, Any]:
    _changes[0] += 1
    if not queries.stop_experiment(store, experiment_id, datetime.now(UTC)):
        get_experiment(store, experiment_id)  # 404 when it does not exist at all
        raise InputError(f"experiment {experiment_id!r} is not running")
    return get_experiment(store, experiment_id)


def get_experiment(store: Store, experiment_id: str) -> dict[str, Any]:
    row = queries.load_experiment(store, experiment_id)
    if row is None:
        raise NotFoundError("experiment", experiment_id)
    return row


def list_experiments(store: Store) -> list[dict[str, Any]]:
    return queries.list_experiments(store)


def experiment_results(store: Store, experiment_id: str) -> dict[str, Any]:
    """Per-arm CTR, add-to-cart rate, conversion and revenue per user, with 95% intervals."""
    row = get_experiment(store, experiment_id)
    names = ("view_item_list", *ab.CLICKS, "add_to_cart", "purchase")
    events = queries.behaviour_events(store, names, since=row["created_at"])
    if row.get("stopped_at"):
        events = [e for e in events if e.ts <= row["stopped_at"]]
    arms = [a["name"] for a in row["arms"]]
    results = ab.results(experiment_id, arms, events)
    return {
        "experiment": public_experiment(row),
        "arms": [ab.as_dict(r) for r in results],
    }


def public_experiment(row: dict[str, Any]) -> dict[str, Any]:
    """An experiment row as JSON-ready values (timestamps as ISO strings)."""
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
