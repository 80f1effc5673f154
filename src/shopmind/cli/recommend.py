"""``shopmind recommend``: train the recommender, ask any surface, run A/B experiments.

``recommend train`` fits the recommender on the store's events and promotes it; ``home USER``,
``similar PRODUCT``, ``bought-together PRODUCT``, ``cart P1 P2…`` and ``because-viewed USER``
print a list with the reason for each product; ``experiment create|list|results|stop``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, get_store, print_json
from shopmind.core.errors import InputError
from shopmind.models.embed import get_embedder
from shopmind.recommend import service as recs
from shopmind.recommend.schemas import ExperimentIn, RecResponse
from shopmind.recommend.service import RecommendService
from shopmind.recommend.trained import publish, train_recs

recommend_app = typer.Typer(
    help="Recommendations: train, home feed, similar, bought together, cart, experiments.",
    no_args_is_help=True,
)
experiment_app = typer.Typer(help="A/B tests between recommender configurations.")
recommend_app.add_typer(experiment_app, name="experiment")

LimitOpt = Annotated[int, typer.Option(min=1, max=100, help="how many products")]
JsonOpt = Annotated[bool, typer.Option("--json", help="the whole response as JSON")]
UserOpt = Annotated[str | None, typer.Option("--user", help="personalise for this customer")]


def _service(ctx: typer.Context) -> RecommendService:
    return RecommendService.open(get_store(ctx), train_if_missing=False)


def _show(response: RecResponse, as_json: bool) -> None:
    if as_json:
        print_json(response.model_dump(mode="json"))
        return
    title = f"{response.surface}: {len(response.items)} products"
    if response.cold_start:
        title += " (cold start)"
    if response.experiment:
        title += f" — experiment {response.experiment}, arm {response.arm}"
    table = Table("id", "title", "category", "reason", title=title)
    for item in response.items:
        table.add_row(item.id, item.title, item.category, item.reason)
    console.print(table)


@recommend_app.command("train")
def train_command(
    ctx: typer.Context,
    model: Annotated[str, typer.Option(help="itemknn, popularity, als, bpr or sasrec")] = "itemknn",
    params: Annotated[
        str | None, typer.Option(help='model parameters as JSON, e.g. {"window": 3}')
    ] = None,
    holdout: Annotated[
        int, typer.Option(min=0, help="users whose last item is held out to measure")
    ] = 1000,
    promote: Annotated[bool, typer.Option("--promote/--no-promote")] = True,
) -> None:
    """Fit the recommender on the store's products, events and orders, and promote it."""
    with cli_errors():
        store = get_store(ctx)
        trained = train_recs(
            store,
            get_embedder(),
            model=model,
            params=_json_object(params, "--params"),
            holdout=holdout,
            say=lambda text: console.print(text, highlight=False),
        )
        folder = publish(trained, make_promoted=promote)
    print_json(
        {
            "version": folder.name,
            "path": str(folder),
            "model": model,
            "promoted": promote,
            **trained.meta["counts"],
            "metrics": trained.meta["metrics"]["test"],
            "seconds": trained.meta["seconds"],
        }
    )


@recommend_app.command("home")
def home_command(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="customer id (a new one gets trending)")],
    limit: LimitOpt = 10,
    session: Annotated[str | None, typer.Option(help="the current session id")] = None,
    locale: Annotated[str | None, typer.Option(help="e.g. zh-CN (default: the customer's)")] = None,
    currency: Annotated[str | None, typer.Option(help="only products in this currency")] = None,
    category: Annotated[str | None, typer.Option(help="only this category (context)")] = None,
    record: Annotated[
        bool, typer.Option("--record/--no-record", help="log the impression")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """The customer's home feed."""
    with cli_errors():
        response = _service(ctx).home(
            user,
            session_id=session,
            limit=limit,
            locale=locale,
            currency=currency,
            category=category,
            record=record,
        )
    _show(response, as_json)


@recommend_app.command("because-viewed")
def because_viewed_command(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="customer id")],
    limit: LimitOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """Products like the one the customer viewed last."""
    with cli_errors():
        response = _service(ctx).because_viewed(user, limit=limit)
    _show(response, as_json)


@recommend_app.command("similar")
def similar_command(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="product id")],
    limit: LimitOpt = 10,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Products similar to one (co-viewed, then content neighbours)."""
    with cli_errors():
        response = _service(ctx).similar(product, limit=limit, user_id=user)
    _show(response, as_json)


@recommend_app.command("bought-together")
def bought_together_command(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="product id")],
    limit: LimitOpt = 10,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Products frequently bought with one."""
    with cli_errors():
        response = _service(ctx).bought_together(product, limit=limit, user_id=user)
    _show(response, as_json)


@recommend_app.command("cart")
def cart_command(
    ctx: typer.Context,
    products: Annotated[list[str], typer.Argument(help="product ids in the cart")],
    limit: LimitOpt = 10,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Complete the cart."""
    with cli_errors():
        response = _service(ctx).cart(products, limit=limit, user_id=user)
    _show(response, as_json)


# --- experiments ------------------------------------------------------------------------------


def _json_object(text: str | None, option: str) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{option} must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise InputError(f"{option} must be a JSON object, got {text!r}")
    return value


def parse_arms(arms: list[str], weights: list[str]) -> list[dict[str, Any]]:
    """``["control", 'trend={"source": "trending"}']`` and ``["trend=0.5"]`` -> arm dicts."""
    out: dict[str, dict[str, Any]] = {}
    for text in arms:
        name, sep, config = text.partition("=")
        parsed = _json_object(config if sep else None, "--arm") or {}
        out[name.strip()] = {"name": name.strip(), "config": parsed}
    for text in weights:
        name, sep, weight = text.partition("=")
        if not sep or name.strip() not in out:
            raise InputError(f"--weight must look like ARM=NUMBER for a given --arm, got {text!r}")
        try:
            out[name.strip()]["weight"] = float(weight)
        except ValueError:
            raise InputError(f"--weight {text!r}: {weight!r} is not a number") from None
    return list(out.values())


@experiment_app.command("create")
def experiment_create(
    ctx: typer.Context,
    experiment_id: Annotated[str, typer.Argument(help="a short id, e.g. home-2026-11")],
    arm: Annotated[
        list[str], typer.Option("--arm", help='NAME or NAME={"source": "trending", ...}')
    ],
    weight: Annotated[list[str] | None, typer.Option("--weight", help="NAME=SHARE")] = None,
    surface: Annotated[str, typer.Option(help="home, similar, bought_together or cart")] = "home",
    name: Annotated[str, typer.Option(help="a readable name")] = "",
) -> None:
    """Start an A/B test between named configurations."""
    with cli_errors():
        arms = parse_arms(arm, weight or [])
        body = {"id": experiment_id, "name": name, "surface": surface, "arms": arms}
        try:
            parsed = ExperimentIn.model_validate(body)
        except ValueError as exc:
            raise InputError(f"invalid experiment: {exc}") from None
        row = recs.create_experiment(get_store(ctx), parsed)
    print_json(recs.public_experiment(row))


@experiment_app.command("list")
def experiment_list(ctx: typer.Context) -> None:
    """Every experiment, newest first (one JSON object a line)."""
    with cli_errors():
        rows = recs.list_experiments(get_store(ctx))
    for row in rows:
        print_json(recs.public_experiment(row))


@experiment_app.command("results")
def experiment_results(
    ctx: typer.Context,
    experiment_id: Annotated[str, typer.Argument()],
    as_json: JsonOpt = False,
) -> None:
    """CTR, add-to-cart rate, conversion and revenue per user per arm (95% intervals)."""
    with cli_errors():
        report = recs.experiment_results(get_store(ctx), experiment_id)
    if as_json:
        print_json(report)
        return
    columns = ("arm", "users", "impressions", "CTR", "add-to-cart", "conversion")
    table = Table(*columns, "revenue/user", "conversion vs control")
    for arm in report["arms"]:
        revenue = ", ".join(
            f"{m['value']:.2f} {c} [{m['low']:.2f}, {m['high']:.2f}]"
            for c, m in arm["revenue_per_user"].items()
        )
        table.add_row(
            arm["arm"],
            str(arm["users"]),
            str(arm["impressions"]),
            _rate(arm["ctr"]),
            _rate(arm["add_to_cart_rate"]),
            _rate(arm["conversion"]),
            revenue or "-",
            _rate(arm["vs_control"]["conversion"]) if arm["vs_control"] else "control",
        )
    console.print(table)


def _rate(rate: dict[str, Any]) -> str:
    return f"{rate['value']:.3f} [{rate['low']:.3f}, {rate['high']:.3f}]"


@experiment_app.command("stop")
def experiment_stop(ctx: typer.Context, experiment_id: Annotated[str, typer.Argument()]) -> None:
    """Stop a running experiment (its results stay readable)."""
    with cli_errors():
        row = recs.stop_experiment(get_store(ctx), experiment_id)
    print_json(recs.public_experiment(row))
