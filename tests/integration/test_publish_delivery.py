"""The publish service on a real broker and database: live stream resume across restarts, kills, embargoes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.publish import webhook_store as store
from services.publish.admin import create_subscriber
from services.publish.app import create_app as publish_app
from services.publish.archive import Archive
from services.publish.filters import SubscriberFilter
from shared.broker import ensure_topics
from shared.codec import decode, encode
from shared.contracts import EnrichedStory, StoryPublished
from shared.db import create_engine
from shared.http_server import HttpServer
from shared.settings import PublishSettings, Settings
from tests.support.kafka import collect, produce
from tests.support.publishing import (
    database_settings,
    drop_schema,
    free_port,
    ninjs_validator,
    read_sse,
    rich_story,
)

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgresql"])
async def app_settings(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> AsyncIterator[Settings]:
    database = database_settings(request.param, tmp_path)
    yield settings.model_copy(update={
        "database": database,
        "publish": PublishSettings(http_port=free_port(), embargo_poll_s=0.1, stream_poll_s=0.2,
                                   webhook_scan_s=0.1),
    })
    await drop_schema(database)


async def send(settings: Settings, *stories: EnrichedStory) -> None:
    await produce(settings.kafka.bootstrap_servers or "", settings.kafka.topics.enriched,
                  [(s.story_id.encode(), encode(s)) for s in stories])


async def test_stream_resumes_after_restart_with_exactly_the_missed_events(app_settings: Settings) -> None:
    await ensure_topics(app_settings.kafka)
    _sub, key = await create_subscriber(app_settings.database, "desk", ("test",), SubscriberFilter())
    headers = {"Authorization": f"Bearer {key}"}
    url = f"http://127.0.0.1:{app_settings.publish.http_port}/v1/stream"
    async with publish_app(app_settings):
        await send(app_settings, *(rich_story(n) for n in range(3)))
        first = await read_sse(url, headers, count=3)
    # While the service is down: two new stories, a re-send (no-op) and a kill of story 0.
    kill = rich_story(0, headline="KILL: Council approves budget", content_hash="killed")
    await send(app_settings, rich_story(3), rich_story(0), rich_story(4), kill)
    async with publish_app(app_settings):
        missed = await read_sse(url, {**headers, "Last-Event-ID": first[-1][0]}, count=3)
        async with httpx.AsyncClient() as client:
            page = (await client.get(url.replace("stream", "items"), headers=headers,
                                     params={"cursor": missed[-1][0], "wait": 0.5})).json()
        published = await collect(app_settings.kafka.bootstrap_servers or "", app_settings.kafka.topics.published,
                                  until=lambda r: len(r) >= 6)
    ids = [int(event_id) for event_id, _, _ in first + missed]
    assert ids == [1, 2, 3, 4, 5, 6]  # no gap, no repeat, in order
    # Stories on different partitions have no relative order; each version's place in the feed is fixed.
    assert {story_of(d) for _, _, d in first} == {rich_story(n).story_id for n in range(3)}
    assert sorted((e, story_of(d), d["pubstatus"]) for _, e, d in missed) == sorted([
        ("publish", rich_story(3).story_id, "usable"), ("publish", rich_story(4).story_id, "usable"),
        ("kill", kill.story_id, "canceled")])
    assert page["items"] == []  # nothing after the last event: the re-send made no version
    events = [decode(StoryPublished, r.value) for r in published]
    assert [(e.story_id, e.version) for e in events if e.story_id == kill.story_id] == [
        (kill.story_id, 1), (kill.story_id, 2)]
    validator = ninjs_validator()
    for event in events:  # every rendered version that left the service conforms to ninjs 2.2
        assert event.ninjs is not None
        assert list(validator.iter_errors(event.ninjs)) == []


def story_of(doc: dict[str, Any]) -> str:
    return str(doc["uri"]).removeprefix(PublishSettings().uri_base)


@pytest.mark.parametrize("app_settings", ["sqlite"], indirect=True)  # PostgreSQL holds: component tests
async def test_embargoed_story_is_held_then_released_even_across_a_restart(app_settings: Settings) -> None:
    await ensure_topics(app_settings.kafka)
    _sub, key = await create_subscriber(app_settings.database, "desk", ("*",), SubscriberFilter())
    headers = {"Authorization": f"Bearer {key}"}
    items = f"http://127.0.0.1:{app_settings.publish.http_port}/v1/items"
    until = datetime.now(UTC) + timedelta(seconds=3)
    held = rich_story(1, embargo_until=until)
    archive = Archive(create_engine(app_settings.database), app_settings.database.schema_name)
    hooked: list[tuple[datetime, str]] = []  # (received at, ninjs uri) at the desk's webhook

    async def hook(request: Request) -> Response:
        hooked.append((datetime.now(UTC), orjson.loads(await request.body())["uri"]))
        return Response(status_code=204)

    receiver = HttpServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])]), "127.0.0.1", 0)
    await receiver.start()
    await store.register(archive, "desk", f"http://127.0.0.1:{receiver.port}/hook")
    try:
        async with publish_app(app_settings), httpx.AsyncClient() as client:
            await send(app_settings, held, rich_story(2))
            await wait_for_latest(archive, held.story_id)
            body = (await client.get(items, headers=headers, params={"wait": 1})).json()
            assert [i["story_id"] for i in body["items"]] == [rich_story(2).story_id]  # held one not there
            await until_true(lambda: len(hooked) >= 1, "the free story at the webhook")
            assert datetime.now(UTC) < until, "the test machine was too slow to observe the hold"
        async with publish_app(app_settings), httpx.AsyncClient(timeout=15) as client:
            body = (await client.get(items, headers=headers, params={"cursor": body["next"], "wait": 10})).json()
            released_at = datetime.now(UTC)
            await until_true(lambda: len(hooked) >= 2, "the released story at the webhook")
    finally:
        await archive.close()
        await receiver.stop()
    assert [i["story_id"] for i in body["items"]] == [held.story_id]
    assert body["items"][0]["ninjs"]["embargoed"] == until.isoformat().replace("+00:00", "Z")
    assert released_at >= until
    assert [story_of({"uri": uri}) for _, uri in hooked] == [rich_story(2).story_id, held.story_id]
    assert hooked[1][0] >= until  # the webhook, too, saw nothing before the embargo


async def until_true(check: Callable[[], bool], what: str, timeout_s: float = 15.0) -> None:
    """Bounded polling for ``check``."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def wait_for_latest(archive: Archive, story_id: str, timeout_s: float = 15.0) -> None:
    """Poll the archive until ``story_id`` is recorded (bounded polling, not a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while await archive.latest(story_id) is None:
        assert time.monotonic() < deadline, f"{story_id} never archived"
        await asyncio.sleep(0.05)
