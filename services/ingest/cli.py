"""Ingest's commands: ``newswire push FILE...`` and ``newswire sources list|new-key``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from shared.settings import Settings

sources_app = typer.Typer(no_args_is_help=True, help="The sources registry (ingest.sources_file).")


def push(
    files: Annotated[list[Path], typer.Argument(help="Files to push, one item each.")],
    source: Annotated[str | None, typer.Option(help="Source id (default: the key's source).")] = None,
    key: Annotated[str, typer.Option(envvar="NEWSWIRE_PUSH_KEY", help="The source's API key.")] = "",
    url: Annotated[str | None, typer.Option(help="Ingest base URL (default: from settings).")] = None,
    content_type: Annotated[str | None, typer.Option(help="Content-Type (default: guessed per file).")] = None,
) -> None:
    """Post files to a running ingest's push API; one result line per file, exit 1 if any was refused."""
    import httpx

    from services.ingest.core import content_type_for

    push_settings = Settings().ingest.push
    base = url or f"http://{push_settings.host}:{push_settings.port}"
    failed = False
    with httpx.Client(base_url=base, timeout=push_settings.publish_timeout_s + 5) as client:
        for path in files:
            try:
                response = client.post("/v1/items", content=path.read_bytes(),
                                       params={"source": source} if source else None,
                                       headers={"Authorization": f"Bearer {key}",
                                                "Content-Type": content_type or content_type_for(path.name)})
            except (OSError, httpx.HTTPError) as exc:
                failed = True
                typer.echo(f"{path}\terror\t{exc}", err=True)
                continue
            ok = response.status_code in (200, 202)
            failed |= not ok
            body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
            detail = body.get("item_id") if ok else body.get("detail", response.text)
            typer.echo(f"{path}\t{response.status_code}\t{'duplicate ' if response.status_code == 200 else ''}{detail}",
                       err=not ok)
    raise typer.Exit(1 if failed else 0)


@sources_app.command("list")
def list_sources() -> None:
    """Show every configured source with when it last delivered an item and the health of feeds."""
    from services.ingest.sources import load_registry
    from services.ingest.store import IngestStore
    from shared.db import create_engine

    settings = Settings()
    registry = load_registry(settings.ingest.sources_file)

    async def status() -> tuple[dict[str, tuple[object, int]], dict[str, tuple[int, str | None]]]:
        store = IngestStore(create_engine(settings.database))
        try:
            await store.create()
            seen = await store.last_seen()
            feeds = {s.id: await store.feed_state(s.id) for s in registry.sources}
        finally:
            await store.engine.dispose()
        return dict(seen), {k: (v.failures, v.last_error) for k, v in feeds.items()}

    seen, feeds = asyncio.run(status())
    typer.echo("id\tkind\tenabled\taddress\tlast_seen\titems\tstatus")
    for s in registry.sources:
        last, count = seen.get(s.id, (None, 0))
        failures, error = feeds.get(s.id, (0, None))
        health = f"failing x{failures}: {error}" if failures else "ok"
        address = s.url or (str(s.path) if s.path else "push")
        typer.echo(f"{s.id}\t{s.kind}\t{s.enabled}\t{address}\t{last or 'never'}\t{count}\t{health}")


@sources_app.command("new-key")
def new_key_command() -> None:
    """Print a fresh API key (give it to the source) and its hash (put it in the registry)."""
    from services.ingest.sources import new_key

    key, digest = new_key()
    typer.echo(f"key\t{key}\napi_key_sha256\t{digest}")
