"""Publish-service test helpers: archive databases (SQLite and PostgreSQL), rich stories, ninjs validation."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from services.publish.archive import Archive
from shared.contracts import EnrichedStory, Entity, EntityKind, Place, Subject
from shared.db import create_engine
from shared.settings import DatabaseSettings
from tests.support.factories import enriched_story

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
GEOJSON_URI = "https://geojson.org/schema/GeoJSON.json"
# Written for these tests: just enough of a GeoJSON Point for the ninjs schema's external
# $ref to resolve offline (the real GeoJSON schema is not fetched at test time).
_POINT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}},
    },
}


def postgres_answers() -> bool:
    """True when the local PostgreSQL accepts TCP connections."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def database_settings(kind: str, tmp_path: Path) -> DatabaseSettings:
    """A fresh archive location: a SQLite file, or a unique schema in the local PostgreSQL."""
    if kind == "sqlite":
        return DatabaseSettings(url=f"sqlite:///{tmp_path / 'archive.db'}")
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432 (start it, e.g. with .ci/run)")
    return DatabaseSettings(url=POSTGRES_URL, schema_name=f"t_{uuid.uuid4().hex[:12]}")


async def drop_schema(settings: DatabaseSettings) -> None:
    """Remove a test's PostgreSQL schema."""
    if settings.schema_name:
        import asyncpg

        conn = await asyncpg.connect(settings.url)
        try:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{settings.schema_name}" CASCADE')
        finally:
            await conn.close()


async def open_test_archive(settings: DatabaseSettings) -> AsyncIterator[Archive]:
    """A migrated archive, closed (and its schema dropped) afterwards."""
    archive = Archive(create_engine(settings), settings.schema_name)
    await archive.migrate()
    try:
        yield archive
    finally:
        await archive.close()
        await asyncio.shield(drop_schema(settings))


def rich_story(n: int, **changes: Any) -> EnrichedStory:
    """An enriched story with people, organisations, places, subjects and keywords filled in."""
    base = enriched_story(n)
    update: dict[str, Any] = {
        "people": (Entity(name="Anna Virtanen", kind=EntityKind.PERSON, mentions=2),),
        "organisations": (Entity(name="Tampere City Council", kind=EntityKind.ORGANISATION),),
        "places": (Place(name="Tampere", country_code="FI", lat=61.4981, lon=23.7608, geonames_id=634963,
                         is_dateline=True),),
        "subjects": (Subject(code="11000000", name="politics", score=0.82,
                             uri="http://cv.iptc.org/newscodes/mediatopic/11000000"),),
        "keywords": ("tram", "budget"),
        "summary": "The council approved a tram budget.",
    }
    story_changes = {k: v for k, v in changes.items() if k in type(base.story).model_fields}
    update |= {k: v for k, v in changes.items() if k not in story_changes}
    if story_changes:
        update["story"] = base.story.model_copy(update=story_changes)
    return base.model_copy(update=update)


def ninjs_validator(schema_path: Path | None = None) -> Draft202012Validator:
    """A validator for the ninjs 2.2 schema (the shipped copy unless a path is given)."""
    if schema_path is None:
        text = (resources.files("services.publish") / "schemas" / "ninjs-schema_2.2.json").read_text()
    else:
        text = schema_path.read_text()
    registry: Registry[Any] = Registry().with_resource(GEOJSON_URI, Resource.from_contents(_POINT_SCHEMA))
    return Draft202012Validator(json.loads(text), registry=registry)


def later(moment: datetime, seconds: float) -> datetime:
    """``moment`` plus ``seconds``."""
    from datetime import timedelta

    return moment + timedelta(seconds=seconds)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def read_sse(
    url: str, headers: dict[str, str], *, count: int, timeout_s: float = 30.0
) -> list[tuple[str, str, dict[str, Any]]]:
    """Read ``count`` server-sent events as ``(id, event, data)``, then disconnect; bounded by ``timeout_s``."""
    import httpx
    import orjson

    events: list[tuple[str, str, dict[str, Any]]] = []
    fields: dict[str, str] = {}
    async with asyncio.timeout(timeout_s), httpx.AsyncClient(timeout=None) as client, \
            client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200, await response.aread()
        async for line in response.aiter_lines():
            if line.startswith(":"):
                continue  # keep-alive comment
            if line:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
                continue
            if "data" in fields:
                events.append((fields.get("id", ""), fields.get("event", "message"), orjson.loads(fields["data"])))
            fields = {}
            if len(events) >= count:
                break
    return events
