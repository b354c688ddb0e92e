"""``newswire subscribers ...``: create and list subscribers of the publish service."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from services.publish.archive import Archive
from services.publish.filters import SubscriberFilter
from services.publish.subscribers import Subscriber, add_subscriber, all_subscribers, reset_key
from services.publish.webhook_store import Webhook, all_webhooks, register, resume
from shared.db import create_engine
from shared.errors import PermanentError
from shared.settings import DatabaseSettings, Settings

T = TypeVar("T")
DEMO = "demo"
"""The subscriber ``make run`` creates, entitled to everything, with no filter."""

subscribers_app = typer.Typer(no_args_is_help=True, help="Subscribers of the publish service.")


async def create_subscriber(
    database: DatabaseSettings, name: str, entitlements: tuple[str, ...], subscriber_filter: SubscriberFilter
) -> tuple[Subscriber, str]:
    """Migrate the archive if needed and add a subscriber; returns it and its one-time API key."""
    archive = Archive(create_engine(database), database.schema_name)
    try:
        await archive.migrate()
        return await add_subscriber(archive, name, entitlements=entitlements, subscriber_filter=subscriber_filter)
    finally:
        await archive.close()


async def _demo_key(database: DatabaseSettings) -> str:
    archive = Archive(create_engine(database), database.schema_name)
    try:
        await archive.migrate()
        try:
            _sub, key = await add_subscriber(archive, DEMO, entitlements=("*",), subscriber_filter=SubscriberFilter())
        except PermanentError:
            key = await reset_key(archive, DEMO)  # a persistent database keeps 'demo' across runs
        return key
    finally:
        await archive.close()


def dev_subscriber(env: dict[str, str]) -> list[str]:
    """For the dev runner: fix the API port in ``env`` and create the 'demo' subscriber; lines to print."""
    if "NEWSWIRE_PUBLISH__HTTP_PORT" not in env:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            env["NEWSWIRE_PUBLISH__HTTP_PORT"] = str(probe.getsockname()[1])
    port = env["NEWSWIRE_PUBLISH__HTTP_PORT"]
    key = asyncio.run(_demo_key(DatabaseSettings(url=env["NEWSWIRE_DATABASE__URL"],
                                                 schema_name=env.get("NEWSWIRE_DATABASE__SCHEMA_NAME"))))
    return [
        f"newswire: subscriber API at http://127.0.0.1:{port}; demo subscriber key (shown once): {key}",
        f'newswire: watch it: curl -N -H "Authorization: Bearer {key}" http://127.0.0.1:{port}/v1/stream',
    ]


@subscribers_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Unique name of the subscriber.")],
    entitle: Annotated[list[str], typer.Option(help="Source id or agency it may receive; '*' for all.")],
    subject: Annotated[list[str] | None, typer.Option(help="Media Topic code or name to filter on.")] = None,
    place: Annotated[list[str] | None, typer.Option(help="Place name or country code.")] = None,
    person: Annotated[list[str] | None, typer.Option(help="Person's name.")] = None,
    organisation: Annotated[list[str] | None, typer.Option(help="Organisation's name.")] = None,
    keyword: Annotated[list[str] | None, typer.Option(help="Keyword (also matched in the text).")] = None,
    language: Annotated[list[str] | None, typer.Option(help="Language code, e.g. en.")] = None,
    max_urgency: Annotated[int | None, typer.Option(min=1, max=9, help="Only urgency 1..N.")] = None,
) -> None:
    """Create a subscriber and print its API key (shown this once; only a hash is stored)."""
    subscriber_filter = SubscriberFilter(
        subjects=tuple(subject or ()), places=tuple(place or ()), people=tuple(person or ()),
        organisations=tuple(organisation or ()), keywords=tuple(keyword or ()),
        languages=tuple(language or ()), max_urgency=max_urgency,
    )
    try:
        sub, key = asyncio.run(create_subscriber(Settings().database, name, tuple(entitle), subscriber_filter))
    except PermanentError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"subscriber {sub.name} (id {sub.id}) created; API key, shown once:", err=True)
    typer.echo(key)


def _with_archive(work: Callable[[Archive], Awaitable[T]]) -> T:
    async def go() -> T:
        database = Settings().database
        archive = Archive(create_engine(database), database.schema_name)
        try:
            await archive.migrate()
            return await work(archive)
        finally:
            await archive.close()

    try:
        return asyncio.run(go())
    except PermanentError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc


@subscribers_app.command("list")
def list_subscribers() -> None:
    """Print every subscriber with its entitlements, filter and webhook state (never keys or secrets)."""

    async def load(archive: Archive) -> tuple[list[Subscriber], dict[int, Webhook]]:
        return await all_subscribers(archive), {w.subscriber_id: w for w in await all_webhooks(archive)}

    subs, hooks = _with_archive(load)
    for sub in subs:
        criteria = sub.filter.model_dump_json(exclude_defaults=True)
        hook = hooks.get(sub.id)
        state = "-" if hook is None else (
            f"{hook.url} SUSPENDED: {hook.suspended_reason}" if hook.suspended else f"{hook.url} ok")
        typer.echo(f"{sub.id}\t{sub.name}\t{','.join(sub.entitlements)}\t{criteria}\twebhook: {state}")


@subscribers_app.command("webhook")
def set_webhook(
    name: Annotated[str, typer.Argument(help="The subscriber.")],
    url: Annotated[str, typer.Argument(help="Where to POST each ninjs document.")],
    from_start: Annotated[bool, typer.Option(help="Deliver the whole archive, not only new versions.")] = False,
) -> None:
    """Set a subscriber's webhook and print its signing secret (shown this once)."""
    secret = _with_archive(lambda archive: register(archive, name, url, from_start=from_start))
    typer.echo(f"webhook of {name} set to {url}; HMAC-SHA256 signing secret, shown once:", err=True)
    typer.echo(secret)


@subscribers_app.command("resume-webhook")
def resume_webhook(name: Annotated[str, typer.Argument(help="The subscriber.")]) -> None:
    """Close the circuit breaker of a suspended webhook; delivery resumes where it stopped."""
    _with_archive(lambda archive: resume(archive, name))
    typer.echo(f"webhook of {name} resumed")
