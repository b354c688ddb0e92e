"""The subscriber API (ASGI app on a real archive): auth, entitlements, filters, cursors, kills, long-poll."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import anyio
import httpx
import pytest

from services.publish.api import create_api
from services.publish.archive import Archive
from services.publish.filters import SubscriberFilter
from services.publish.subscribers import add_subscriber
from shared.settings import PublishSettings
from tests.component.publish.test_archive import publish
from tests.support.publishing import rich_story

KILL = {"headline": "KILL: Story withdrawn", "body_paragraphs": ("This story has been withdrawn.",),
        "content_hash": "kill"}
BARE = {"people": (), "organisations": (), "places": (), "subjects": (), "keywords": ()}


@pytest.fixture
async def client(archive: Archive) -> AsyncIterator[httpx.AsyncClient]:
    app = create_api(archive, PublishSettings(page_size=50, long_poll_max_s=5), anyio.Event())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as c:
        yield c


async def key_for(
    archive: Archive, name: str, entitlements: tuple[str, ...] = ("*",), **criteria: object
) -> dict[str, str]:
    _sub, key = await add_subscriber(archive, name, entitlements=entitlements,
                                     subscriber_filter=SubscriberFilter(**criteria))  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {key}"}


async def story_ids(client: httpx.AsyncClient, headers: dict[str, str], **params: object) -> list[str]:
    response = await client.get("/v1/items", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return [i["story_id"] for i in response.json()["items"]]


async def test_no_or_wrong_key_is_401_with_a_reason(client: httpx.AsyncClient) -> None:
    for headers in ({}, {"Authorization": "Bearer nwk_nope"}, {"Authorization": "Basic abc"}):
        response = await client.get("/v1/items", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_subscriber_never_sees_sources_outside_its_entitlements(
    archive: Archive, client: httpx.AsyncClient
) -> None:
    await publish(archive, 1)
    await publish(archive, 2, source="reuters")
    only_reuters = await key_for(archive, "r", ("reuters",))
    everything = await key_for(archive, "all")
    assert await story_ids(client, only_reuters) == [rich_story(2).story_id]
    assert len(await story_ids(client, everything)) == 2
    response = await client.get(f"/v1/items/{rich_story(1).story_id}", headers=only_reuters)
    assert response.status_code == 404
    # ...not even the kill of a story from a source it is not entitled to.
    await publish(archive, 1, **KILL)
    assert await story_ids(client, only_reuters, cursor=2) == []


async def test_cursor_pages_without_gaps_or_repeats(archive: Archive, client: httpx.AsyncClient) -> None:
    for n in range(7):
        await publish(archive, n)
    headers = await key_for(archive, "all")
    seen: list[str] = []
    cursor = ""
    for _ in range(10):
        body = (await client.get("/v1/items", headers=headers, params={"cursor": cursor, "limit": 3})).json()
        seen += [i["story_id"] for i in body["items"]]
        if not body["items"]:
            break
        cursor = body["next"]
    assert seen == [rich_story(n).story_id for n in range(7)]
    assert (await client.get("/v1/items", headers=headers, params={"cursor": "abc"})).status_code == 400


async def test_filter_and_free_text_query(archive: Archive, client: httpx.AsyncClient) -> None:
    await publish(archive, 1)
    await publish(archive, 2, **BARE)
    finland = await key_for(archive, "fi", places=("FI",))
    assert await story_ids(client, finland) == [rich_story(1).story_id]
    everything = await key_for(archive, "all")
    assert await story_ids(client, everything, q="budget number 2") == [rich_story(2).story_id]


async def test_kill_reaches_every_prior_recipient_even_when_it_no_longer_matches(
    archive: Archive, client: httpx.AsyncClient
) -> None:
    await publish(archive, 1)
    trams = await key_for(archive, "trams", keywords=("tram",))
    politics = await key_for(archive, "politics", subjects=("politics",))
    sport = await key_for(archive, "sport", subjects=("sport",))
    assert await story_ids(client, politics) == [rich_story(1).story_id]  # delivered, and logged as such
    await publish(archive, 1, **KILL, **BARE)
    for headers in (trams, politics):
        response = await client.get("/v1/items", headers=headers, params={"cursor": 1})
        assert [(i["action"], i["ninjs"]["pubstatus"]) for i in response.json()["items"]] == [("kill", "canceled")]
    assert await story_ids(client, sport) == []
    versions = (await client.get(f"/v1/items/{rich_story(1).story_id}", headers=trams)).json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]


async def test_long_poll_returns_as_soon_as_a_new_item_is_released(
    archive: Archive, client: httpx.AsyncClient
) -> None:
    headers = await key_for(archive, "all")
    request = asyncio.create_task(client.get("/v1/items", headers=headers, params={"wait": 5}))
    await asyncio.sleep(0)  # let the request start waiting before the release
    started = anyio.current_time()
    await publish(archive, 1)
    response = await asyncio.wait_for(request, 5)
    assert [i["story_id"] for i in response.json()["items"]] == [rich_story(1).story_id]
    assert anyio.current_time() - started < 4
