"""Every surface on the tiny shop of ``shop.py``, whose right answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from shopmind.core.errors import InputError, NotFoundError
from shopmind.recommend.home import personal_scores
from shopmind.recommend.items import Thresholds
from shopmind.recommend.rules import RecConfig
from shopmind.recommend.service import RecommendService
from shopmind.recommend.surfaces import Shopper, trending_scores

from .shop import Events, product


def ids(response: object) -> list[str]:
    return [item.id for item in response.items]  # type: ignore[attr-defined]


def test_similar_puts_the_co_viewed_case_first_and_never_the_product_itself(
    service: RecommendService,
) -> None:
    got = service.similar("ph1", limit=5)
    assert got.items[0].id == "case1"
    assert got.items[0].reason == "viewed together with Nova Phone 1"
    assert got.items[0].reason_code == "viewed_together" and got.items[0].anchor == "ph1"
    assert "ph1" not in ids(got)
    assert all(item.reason for item in got.items)


def test_similar_falls_back_to_content_and_skips_out_of_stock(service: RecommendService) -> None:
    got = service.similar("ph3", limit=4)  # no events at all
    assert got.items, "a product without events still gets neighbours"
    assert {i.reason_code for i in got.items} == {"similar"}
    assert "ph4" not in ids(got)  # the closest match (same brand and category), but stock 0
    assert got.items[0].id == "case3"  # shares 'Orbit', 'Phone' (ph4 is out of stock)


def test_a_product_added_after_training_gets_content_neighbours_at_once(
    service: RecommendService,
) -> None:
    service.store.upsert("products", [product("ph9", "Orbit Phone 9", ["Phones", "Smartphones"])])
    got = service.similar("ph9", limit=3)
    assert got.items and got.items[0].id in {"ph3", "case3"}
    assert got.items[0].reason == "similar to Orbit Phone 9"
    # and it can now be recommended next to other products
    assert "ph9" in ids(service.similar("ph3", limit=5))


def test_a_shopper_who_views_a_new_product_gets_its_neighbours(
    service: RecommendService,
) -> None:
    service.store.upsert("products", [product("nb9", "Paper Notebook B5", ["Stationery"])])
    events = Events()
    events.add("view_item", "newbie", ["nb9"], 0, id="new-view")
    events.add("view_item", "newbie", ["ghost"], 0, id="ghost-view")  # not in the store
    service.store.add_events(events.items)
    got = service.home("newbie", limit=2)
    assert not got.cold_start
    assert set(ids(got)) == {"nb1", "nb2"}
    assert got.items[0].reason == "because you viewed Paper Notebook B5"


def test_unknown_product_is_not_found(service: RecommendService) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        service.similar("nope")
    with pytest.raises(NotFoundError, match="nope"):
        service.cart(["ph1", "nope"])


@pytest.mark.parametrize("limit", [0, 101])
def test_limit_out_of_range_is_refused(service: RecommendService, limit: int) -> None:
    with pytest.raises(InputError, match="limit"):
        service.similar("ph1", limit=limit)


def test_bought_together_uses_support_and_lift_thresholds(service: RecommendService) -> None:
    got = service.bought_together("ph1", limit=5)
    assert got.items[0].id == "case1"
    assert got.items[0].reason == "bought together with Nova Phone 1 (3 orders)"
    coffee = [i for i in got.items if i.id == "cof1"]
    assert all(i.reason_code != "bought_together" for i in coffee)  # support 1 < 2
    service.thresholds = Thresholds(min_support=1)
    relaxed = service.bought_together("ph1", limit=5)
    codes = {i.id: i.reason_code for i in relaxed.items}
    assert codes["cof1"] == "bought_together"


def test_bought_together_falls_back_to_complements_when_sparse(service: RecommendService) -> None:
    got = service.bought_together("nb1", limit=3)
    assert len(got.items) == 3
    assert {i.reason_code for i in got.items} == {"goes_with"}
    assert got.items[0].reason == "goes well with Paper Notebook A5"


def test_complete_the_cart_adds_each_phones_case(service: RecommendService) -> None:
    got = service.cart(["ph1", "ph2"], limit=4)
    assert set(ids(got)[:2]) == {"case1", "case2"}
    assert not {"ph1", "ph2"} & set(ids(got))
    reasons = {i.id: i.reason for i in got.items}
    assert reasons["case2"] == "bought together with Nova Phone 2 (2 orders)"
    with pytest.raises(InputError, match="empty"):
        service.cart([])


def test_new_user_gets_trending_for_their_locale(service: RecommendService) -> None:
    zh = service.home("newcomer", locale="zh-CN", limit=3)
    assert zh.cold_start
    assert ids(zh)[0] == "zh1"
    assert zh.items[0].reason == "您所在地区热销（zh-CN）"  # reasons in the shopper's language
    assert zh.items[0].reason_code == "trending_region"
    en = service.home("newcomer", locale="en-US", limit=3)
    assert ids(en)[0] == "b1" and en.items[0].reason_code == "trending_region"
    anywhere = service.home("newcomer", limit=3)
    assert anywhere.items[0].reason == "trending now"


def test_trending_respects_currency_and_context(service: RecommendService) -> None:
    cny = service.home("newcomer", currency="cny", limit=10)
    assert cny.items and {i.id[:2] for i in cny.items} == {"zh"}
    phones = service.home("newcomer", category="Phones", limit=10)
    assert phones.items and all(i.category.startswith("Phones") for i in phones.items)
    assert phones.items[0].reason == "trending in Phones"
    # the category filter is applied to a copy: the cached trending stays whole
    after = service.home("newcomer", limit=10)
    assert any(not i.category.startswith("Phones") for i in after.items)
    again = service.home("newcomer", currency="cny", limit=10)
    assert ids(again) == ids(cny)


def test_cached_trending_follows_products_added_after_training(
    service: RecommendService,
) -> None:
    service.home("newcomer", locale="en-US", limit=3)  # caches en-US trending
    service.store.upsert("products", [product("ph9", "Orbit Phone 9", ["Phones", "Smartphones"])])
    pos = service.position("ph9")  # appended to the catalog: the cached vector is stale
    scores = trending_scores(service.recs, Shopper(locale="en-US"), None)
    assert len(scores) == len(service.recs.catalog) == pos + 1
    assert scores[pos] == -np.inf  # no events yet: not trending
    assert ids(service.home("newcomer", locale="en-US", limit=3))


def test_home_feed_is_personal_explained_and_skips_bought_and_sold_out(
    service: RecommendService,
) -> None:
    got = service.home("alice", limit=20)
    assert not got.cold_start
    assert "cof1" not in ids(got)  # bought 40 days ago
    assert "ph4" not in ids(got)  # out of stock
    assert not {"b1", "b2"} & set(ids(got))  # just viewed
    assert got.items[0].category == "Books > Fiction"
    assert got.items[0].reason in (
        "because you viewed Novel Book 2",
        "because you viewed Novel Book 1",
    )
    assert all(item.reason for item in got.items)


def test_consumables_come_back_after_their_repurchase_window(service: RecommendService) -> None:
    service.config = RecConfig(repurchase_days={"Grocery": 30}, diversity="none")
    assert "cof1" in ids(service.home("alice", limit=30))
    service.config = RecConfig(repurchase_days={"Grocery": 60}, diversity="none")
    assert "cof1" not in ids(service.home("alice", limit=30))


def test_already_shown_items_are_left_out_for_a_while(service: RecommendService) -> None:
    first = service.home("carol", limit=3, record=True)
    second = service.home("carol", limit=3)
    assert not set(ids(first)) & set(ids(second))
    service.config = RecConfig(shown_minutes=0)
    assert ids(service.home("carol", limit=3)) == ids(first)


def test_shown_items_are_left_out_per_surface(service: RecommendService) -> None:
    feed = service.home("carol", limit=5, record=True)
    similar = service.similar("b1", limit=5, user_id="carol", record=True)
    assert set(ids(feed)) & set(ids(similar))  # the feed's impression does not hide them here
    again = service.similar("b1", limit=3, user_id="carol")
    assert not set(ids(similar)) & set(ids(again))
    assert service.similar("b1", limit=5).items == similar.items  # anonymous: nothing recorded


def test_boost_and_bury_rules_move_products(service: RecommendService) -> None:
    base = service.home("carol", limit=5)
    assert base.items[0].category == "Books > Fiction"
    buried = RecConfig.model_validate(
        {"boosts": [{"field": "category", "value": "Books", "weight": -50}]}
    )
    service.config = buried
    assert all(not i.category.startswith("Books") for i in service.home("carol", limit=5).items)
    service.config = RecConfig.model_validate(
        {"boosts": [{"field": "brand", "value": "leaf", "weight": 50}]}
    )
    assert set(ids(service.home("carol", limit=2))) == {"nb1", "nb2"}


def test_category_caps_and_mmr_spread_the_list(service: RecommendService) -> None:
    service.config = RecConfig(diversity="none")
    plain = service.home("carol", limit=4)
    assert [i.category for i in plain.items].count("Books > Fiction") >= 3
    service.config = RecConfig(max_per_category=1)
    capped = service.home("carol", limit=4)
    assert len({i.category for i in capped.items}) == 4
    service.config = RecConfig(diversity="mmr", mmr_lambda=0.3)
    mmr = service.home("carol", limit=4)
    assert [i.category for i in mmr.items].count("Books > Fiction") < 3


def test_a_fresh_event_changes_the_next_request(service: RecommendService) -> None:
    import time

    before = service.home("carol", limit=3)
    assert before.items[0].category == "Books > Fiction"
    events = Events()
    for n in range(4):
        events.add("view_item", "carol", ["ph1"], -n / 60, id=f"rt{n}")
    started = time.perf_counter()
    service.store.add_events(events.items)
    after = service.home("carol", limit=3)
    assert time.perf_counter() - started < 1.0
    assert after.items[0].id == "case1"
    assert after.items[0].reason == "because you viewed Nova Phone 1"


def test_session_weight_lifts_look_alikes_of_the_newest_view(service: RecommendService) -> None:
    recs = service.recs
    history = recs.catalog.positions(["b1", "b2", "b3", "nb1"])  # nb1: no co-views at all
    shopper = service.shopper("carol")
    off = personal_scores(recs, history, shopper, RecConfig(session_weight=0))
    on = personal_scores(recs, history, shopper, RecConfig(session_weight=0.5))
    gain = on - off
    nb2, ph1 = recs.catalog.position("nb2"), recs.catalog.position("ph1")
    assert gain[nb2] > 0.25  # "Paper Notebook A4" looks like the newest view
    assert gain[nb2] > 2 * gain[ph1]


def test_because_you_viewed_anchors_on_the_last_view(service: RecommendService) -> None:
    got = service.because_viewed("alice", limit=3)
    assert got.anchor == "b2"
    assert got.items and all(i.reason == "because you viewed Novel Book 2" for i in got.items)
    assert not {"b1", "b2"} & set(ids(got))
    assert service.because_viewed("newcomer").items == []


def test_home_needs_someone(service: RecommendService) -> None:
    with pytest.raises(InputError, match="user_id or a session_id"):
        service.home(None)


def test_session_only_shopper_is_served_from_the_session(service: RecommendService) -> None:
    events = Events()
    events.add("view_item", "x", ["ph2"], 1, id="anon-e1", customer_id=None, session_id="anon-1")
    service.store.add_events(events.items)
    got = service.home(None, session_id="anon-1", limit=2)
    assert not got.cold_start
    # its case (co-viewed) and the phone like it (same category, more popular)
    assert set(ids(got)) == {"case2", "ph1"}


def test_reasons_are_written_in_the_shoppers_language(service: RecommendService) -> None:
    bob = service.home("bob", limit=3)  # a zh-CN customer
    assert bob.items and all(_is_chinese(i.reason) for i in bob.items)
    alone = service.similar("zh1", limit=3)  # no shopper: the product's own language
    assert alone.items and all(_is_chinese(i.reason) for i in alone.items)
    assert "手机 1" in alone.items[0].reason
    english = service.similar("zh1", limit=3, user_id="alice")
    assert english.items
    assert {i.reason for i in english.items} <= {"viewed together with 手机 1", "similar to 手机 1"}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
