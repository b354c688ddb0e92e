"""``newswire subscribers ...``: create and list subscribers of the publish service."""

from __future__ import annotations

import asyncio
import socket
from typing import Annotated

import typer

from services.publish.archive import Archive
from services.publish.filters import SubscriberFilter
from services.publish.subscribers import Subscriber, add_subscriber, all_subscribers, reset_key
from shared.db import create_engine
from shared.errors import PermanentError
from shared.settings import DatabaseSettings, Settings

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


@subscribers_app.command("list")
def list_subscribers() -> None:
    """Print every subscriber with its entitlements and filter (never keys)."""

    async def load() -> list[Subscriber]:
        database = Settings().database
        archive = Archive(create_engine(database), database.schema_name)
        try:
            await archive.migrate()
            return await all_subscribers(archive)
        finally:
            await archive.close()

    for sub in asyncio.run(load()):
        criteria = sub.filter.model_dump_json(exclude_defaults=True)
        typer.echo(f"{sub.id}\t{sub.name}\t{','.join(sub.entitlements)}\t{criteria}")
