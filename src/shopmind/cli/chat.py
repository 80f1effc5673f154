"""``shopmind chat``: talk to the customer-service assistant.

``shopmind chat --message "Where is my order?" --customer c000016`` answers one message and exits
(``--json`` prints the answer with its citations as one JSON line); ``--session ID`` continues a
conversation. Without ``--message`` it reads messages from the terminal until an empty line.
"""

from __future__ import annotations

from typing import Annotated

import typer

from shopmind.assistant import Answer, Assistant, build_assistant
from shopmind.cli.common import cli_errors, get_store, print_json
from shopmind.core.settings import get_settings


def _show(answer: Answer, session_id: str, as_json: bool) -> None:
    if as_json:
        print_json({"session_id": session_id, **answer.as_dict()})
        return
    typer.echo(answer.text)
    for cite in answer.citations:
        typer.echo(f"  [{cite.kind}] {cite.id} {cite.field}")


def chat_command(
    ctx: typer.Context,
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="answer this one message and exit")
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help="speak as this signed-in customer id")
    ] = None,
    session: Annotated[
        str | None, typer.Option("--session", help="continue this conversation")
    ] = None,
    language: Annotated[str | None, typer.Option("--lang", help="en or zh")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer as JSON")] = False,
) -> None:
    """Chat with the assistant (orders, returns, refunds, shipping, products)."""
    store = get_store(ctx)
    with cli_errors():
        assistant: Assistant = build_assistant(store, get_settings())
        if language is not None and language not in ("en", "zh"):
            raise typer.BadParameter("--lang must be en or zh")
        session_id = session or assistant.start_session(customer_id=customer, language=language)
        if message is not None:
            _show(assistant.reply(session_id, message), session_id, as_json)
            return
        typer.echo(f"session {session_id}; an empty line ends the chat", err=True)
        while True:
            text = typer.prompt("you", default="", show_default=False)
            if not text.strip():
                return
            _show(assistant.reply(session_id, text), session_id, as_json)
