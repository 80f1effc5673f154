"""Store administration: stats, customer erasure, API keys, migrations."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, get_store, print_json
from shopmind.store import (
    Role,
    create_api_key,
    erase_customer,
    list_api_keys,
    migrate,
    revoke_api_key,
)

customers_app = typer.Typer(help="Customer data: erasure on request.", no_args_is_help=True)
keys_app = typer.Typer(
    help="API keys with roles admin, merchant, storefront.", no_args_is_help=True
)
db_app = typer.Typer(help="Schema migrations.", no_args_is_help=True)


def stats_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """The number of records of every entity."""
    counts = get_store(ctx).stats()
    if as_json:
        print_json(counts)
        return
    table = Table("entity", "count", title="ShopMind store")
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)


@customers_app.command("erase")
def erase_command(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(help="the customer's id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Erase a customer: delete personal data and events, anonymise reviews and orders."""
    with cli_errors():
        report = erase_customer(get_store(ctx), customer_id)
    if as_json:
        print_json(report)
        return
    for name, value in report.items():
        console.print(f"{name}: {value}")


@keys_app.command("create")
def create_key(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="who or what uses the key")],
    role: Annotated[Role, typer.Option(help="admin, merchant or storefront")] = Role.MERCHANT,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a key; the token is printed once and cannot be shown again."""
    with cli_errors():
        key, token = create_api_key(get_store(ctx), name, role)
    if as_json:
        print_json({"id": key.id, "name": key.name, "role": key.role.value, "token": token})
        return
    console.print(f"key {key.id} ({key.role.value}) for {key.name}; store this token now:")
    typer.echo(token)


@keys_app.command("list")
def list_keys(ctx: typer.Context) -> None:
    """Keys with their roles (never their secrets)."""
    table = Table("id", "name", "role", "created", "revoked")
    for key in list_api_keys(get_store(ctx)):
        table.add_row(
            key.id,
            key.name,
            key.role.value,
            f"{key.created_at:%Y-%m-%d %H:%M}",
            f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
        )
    console.print(table)


@keys_app.command("revoke")
def revoke_key(ctx: typer.Context, key_id: Annotated[str, typer.Argument()]) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    with cli_errors():
        revoke_api_key(get_store(ctx), key_id)
    console.print(f"revoked {key_id}")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply pending migrations (opening the store does this too)."""
    store = get_store(ctx)
    console.print(f"store at revision {migrate.current_revision(store.engine)}")
