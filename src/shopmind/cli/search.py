"""``shopmind search``: query the catalog, build the index, autocomplete, analytics.

``shopmind search "red shoes" --filter price_max=80`` runs a query (the ``query`` subcommand is
implied when the first word is not a subcommand); ``search index`` builds and saves the index;
``search suggest PREFIX`` completes a prefix; ``search analytics`` summarises search events.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from shopmind.cli.common import cli_errors, console, get_store, print_json
from shopmind.core.errors import InputError
from shopmind.search.analytics import analytics
from shopmind.search.index import build_index, default_path, load_index, save_index
from shopmind.search.refresh import refresh
from shopmind.search.rerank import promoted_rerank
from shopmind.search.schemas import SearchRequest
from shopmind.search.service import log_search, search
from shopmind.store import Store

_FILTER_KEYS = ("category", "brand", "price_min", "price_max", "currency", "in_stock")


class _QueryFirst(TyperGroup):
    """``search WORDS…`` means ``search query WORDS…`` unless WORDS start with a subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer vendors click
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["query", *args]
        return super().parse_args(ctx, args)


search_app = typer.Typer(
    cls=_QueryFirst, help="Product search: query, index, suggest, analytics.", no_args_is_help=True
)

PathOpt = Annotated[Path | None, typer.Option("--index", help="index folder (default: home)")]


def parse_filters(values: list[str]) -> dict[str, Any]:
    """``["brand=Nike", "colour=red", "price_max=80"]`` -> SearchRequest filters."""
    filters: dict[str, Any] = {"brand": [], "attributes": {}}
    for value in values:
        key, sep, wanted = value.partition("=")
        key, wanted = key.strip(), wanted.strip()
        if not sep or not key or not wanted:
            raise InputError(f"--filter must look like name=value (e.g. brand=Nike), got {value!r}")
        if key == "brand":
            filters["brand"].append(wanted)
        elif key in _FILTER_KEYS:
            filters[key] = wanted
        else:
            filters["attributes"].setdefault(key, []).append(wanted)
    return filters


def _index(store: Store, path: Path | None) -> Any:
    index = load_index(path)
    refresh(index, store)
    return index


@search_app.command("query")
def query_command(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None, typer.Argument(help="the query (may be empty with filters)")
    ] = None,
    filters: Annotated[list[str] | None, typer.Option("--filter", "-f", help="name=value")] = None,
    sort: Annotated[
        str, typer.Option(help="relevance, price_asc, price_desc, newest, rating")
    ] = "relevance",
    page: Annotated[int, typer.Option()] = 1,
    per_page: Annotated[int, typer.Option("--per-page")] = 10,
    user: Annotated[str | None, typer.Option(help="personalise for this customer id")] = None,
    lang: Annotated[
        str | None, typer.Option(help="storefront language (zh, en): its products win ties")
    ] = None,
    index_path: PathOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="the whole response as JSON")] = False,
) -> None:
    """Search the catalog."""
    with cli_errors():
        store = get_store(ctx)
        request = SearchRequest.parse(
            {
                "q": " ".join(words or []),
                "filters": parse_filters(filters or []),
                "sort": sort,
                "page": page,
                "per_page": per_page,
                "user_id": user,
                "lang": lang,
            }
        )
        index = _index(store, index_path)
        response = search(index, request, store=store, rerank=promoted_rerank(index))
        log_search(store, request, response, session_id="cli")
    if as_json:
        print_json(response.model_dump(mode="json"))
        return
    table = Table("id", "title", "price", "score", title=f"{response.total} results")
    for item in response.items:
        price = f"{item.price:g} {item.currency}" if item.price is not None else ""
        table.add_row(item.id, item.title, price, f"{item.score:.3f}")
    console.print(table)
    for note in ([f"did you mean: {response.did_you_mean}"] if response.did_you_mean else []) + [
        f"relaxed: {r}" for r in response.relaxed
    ]:
        console.print(note, highlight=False)


@search_app.command("index")
def index_command(
    ctx: typer.Context,
    index_path: PathOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Build the search index from the store and save it (a full, compacted rebuild)."""
    with cli_errors():
        index = build_index(get_store(ctx))
        path = save_index(index, index_path or default_path())
    report = {"path": str(path), "build_id": index.build_id, "products": index.size}
    if as_json:
        print_json(report)
    else:
        console.print(f"indexed {index.size:,} products into {path}")


@search_app.command("suggest")
def suggest_command(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(help="what the shopper typed so far")],
    limit: Annotated[int, typer.Option(min=1, max=50)] = 8,
    index_path: PathOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Autocomplete a prefix from catalog phrases and popular queries."""
    with cli_errors():
        suggestions = load_index(index_path).suggester.suggest(prefix, limit)
    if as_json:
        print_json({"suggestions": suggestions})
    else:
        for text in suggestions:
            typer.echo(text)


@search_app.command("analytics")
def analytics_command(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=1, max=3650)] = 30,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
) -> None:
    """Top queries, zero-result queries and click-through rates, as JSON."""
    with cli_errors():
        print_json(analytics(get_store(ctx), days).to_dict(limit))


@search_app.command("synonyms")
def synonyms_command(
    ctx: typer.Context,
    min_support: Annotated[int, typer.Option(min=1, help="clicked (query, product) pairs")] = 5,
    write: Annotated[
        Path | None,
        typer.Option(help="merge the proposals into this synonyms JSON file (for review)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Propose query -> title-word synonyms mined from the shop's search clicks.

    Mined pairs are proposals: review them, keep the true ones in the file named by
    SHOPMIND_SEARCH_SYNONYMS, or trust them unreviewed with SHOPMIND_SEARCH_MINE_SYNONYMS=true.
    """
    from shopmind.core.schemas import Event, Product
    from shopmind.search.shop_synonyms import click_pairs
    from shopmind.search.synonyms import load_synonym_file, mine_synonyms

    with cli_errors():
        store = get_store(ctx)
        titles = {p.id: p.title for p in store.iter_models("products") if isinstance(p, Product)}
        events = (e for e in store.iter_models("events") if isinstance(e, Event))
        mined = mine_synonyms(click_pairs(events, titles), min_support=min_support)
        if write is not None:
            groups = load_synonym_file(write) if write.exists() else {}
            for m in mined:
                terms = groups.setdefault(m.query_term, [])
                if m.title_term not in terms:
                    terms.append(m.title_term)
            write.write_text(json.dumps(groups, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = [
        {
            "query_term": m.query_term,
            "title_term": m.title_term,
            "support": m.support,
            "confidence": round(m.confidence, 3),
            "lift": round(m.lift, 1),
        }
        for m in mined
    ]
    if as_json:
        print_json({"proposals": rows, "written": str(write) if write else None})
        return
    table = Table("query word", "title word", "support", "confidence", "lift")
    for m in mined:
        table.add_row(m.query_term, m.title_term, str(m.support), f"{m.confidence:.2f}",
                      f"{m.lift:.1f}")  # fmt: skip
    console.print(table)
    if write is not None:
        console.print(
            f"merged into {write}; review it before pointing SHOPMIND_SEARCH_SYNONYMS at it"
        )
