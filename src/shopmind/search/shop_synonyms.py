"""The synonym table an index is built with: built-in groups, the shop's file, mined clicks.

Mined pairs come from the shop's own search sessions (a search, then a click, cart or purchase
of a product: `training_data.search_judgements`), as (query, clicked title) pairs for
`mine_synonyms`. A shop whose shoppers type "sofa" and click products titled "couch" gets
"sofa" -> "couch" without anyone writing it down.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from shopmind.core.schemas import Event, EventName, Product
from shopmind.search.synonyms import MinedSynonym, SynonymTable, load_synonym_file, mine_synonyms
from shopmind.search.training_data import CLICK, search_judgements

SESSION_EVENTS = {
    EventName.SEARCH,
    EventName.VIEW_ITEM_LIST,
    EventName.SELECT_ITEM,
    EventName.VIEW_ITEM,
    EventName.ADD_TO_CART,
    EventName.PURCHASE,
}


def click_pairs(events: Iterable[Event], titles: dict[str, str]) -> list[tuple[str, str]]:
    """(query, title) for every product a search led to (clicked or better), once per query."""
    judged = search_judgements(e for e in events if e.name in SESSION_EVENTS)
    return [
        (query, titles[pid])
        for query, grades in judged.grades.items()
        for pid, grade in grades.items()
        if grade >= CLICK and pid in titles
    ]


def shop_synonyms(
    products: Sequence[Product],
    events: Iterable[Event] | None,
    *,
    path: Path | None = None,
) -> tuple[SynonymTable, list[MinedSynonym]]:
    """Built-in groups, plus ``path``'s groups, plus pairs mined from ``events`` (if given)."""
    table = SynonymTable.default()
    if path is not None:
        table.update_from(load_synonym_file(path))
    mined: list[MinedSynonym] = []
    if events is not None:
        mined = mine_synonyms(click_pairs(events, {p.id: p.title for p in products}))
        table.add_mined(mined)
    return table, mined
