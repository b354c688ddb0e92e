"""The archive on SQLite and PostgreSQL: every version kept, feed order, embargo holds, subscribers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services.publish.archive import Archive
from services.publish.core import decide
from services.publish.filters import SubscriberFilter, facts_of
from services.publish.subscribers import add_subscriber, by_key, hash_key
from services.publish.tables import MIGRATIONS, subscribers
from shared.contracts import StoryPublished
from shared.db import create_engine
from shared.errors import PermanentError
from tests.support.factories import NOW
from tests.support.publishing import database_settings, drop_schema, later, rich_story


async def publish(archive: Archive, n: int, *, release: bool = True, **changes: object) -> StoryPublished:
    story = rich_story(n, **changes)
    event = decide(await archive.latest(story.story_id), story, now=NOW)
    assert event is not None
    await archive.record(event, facts_of(story), release=release, now=NOW)
    return event


async def test_every_version_is_kept_and_the_latest_decides_the_next(archive: Archive) -> None:
    await publish(archive, 1)
    await publish(archive, 1, headline="CORRECTED: Council approves budget", content_hash="h2")
    await publish(archive, 1, headline="KILL: Council approves budget", content_hash="h3")
    latest = await archive.latest(rich_story(1).story_id)
    assert latest is not None
    assert latest.version == 3
    versions = await archive.versions_of(rich_story(1).story_id)
    assert [(v.event.version, str(v.event.action)) for v in versions] == [(1, "publish"), (2, "correct"), (3, "kill")]
    assert [v.ninjs["pubstatus"] for v in versions] == ["usable", "usable", "canceled"]


async def test_recording_the_same_version_twice_changes_nothing(archive: Archive) -> None:
    event = await publish(archive, 1)
    assert await archive.record(event, facts_of(rich_story(1)), release=True, now=NOW) is None
    assert [i.seq for i in await archive.feed_after(0, 10)] == [1]


async def test_feed_is_ordered_and_resumable(archive: Archive) -> None:
    for n in range(5):
        await publish(archive, n)
    assert [i.event.story_id for i in await archive.feed_after(0, 10)] == [rich_story(n).story_id for n in range(5)]
    assert [i.seq for i in await archive.feed_after(3, 10)] == [4, 5]
    assert await archive.head() == 5


async def test_embargoed_version_is_held_out_of_the_feed_until_released(archive: Archive) -> None:
    event = await publish(archive, 1, release=False, embargo_until=later(NOW, 60))
    assert await archive.feed_after(0, 10) == []
    assert await archive.due_embargoes(later(NOW, 59)) == []
    due = await archive.due_embargoes(later(NOW, 60))
    assert [e.story_id for e in due] == [event.story_id]
    assert await archive.release(due[0], later(NOW, 60)) == 1
    assert await archive.release(due[0], later(NOW, 61)) is None  # released once
    assert await archive.due_embargoes(later(NOW, 120)) == []


async def test_migrations_are_idempotent(archive: Archive) -> None:
    assert await archive.migrate() == await archive.migrate() == MIGRATIONS[-1][0]


async def test_subscriber_key_is_shown_once_and_stored_hashed(archive: Archive) -> None:
    sub, key = await add_subscriber(archive, "paper", entitlements=("test",),
                                    subscriber_filter=SubscriberFilter(places=("FI",)))
    assert key.startswith("nwk_")
    assert len(key) > 40
    async with archive.engine.connect() as conn:
        stored = (await conn.execute(subscribers.select())).one()
    assert stored.key_hash == hash_key(key)
    assert key not in stored
    found = await by_key(archive, key)
    assert found == sub
    assert await by_key(archive, key + "x") is None
    with pytest.raises(PermanentError, match="already exists"):
        await add_subscriber(archive, "paper", entitlements=("*",), subscriber_filter=SubscriberFilter())
    with pytest.raises(PermanentError, match="entitlement"):
        await add_subscriber(archive, "empty", entitlements=(), subscriber_filter=SubscriberFilter())


async def test_a_version_after_a_held_one_waits_for_the_same_release(archive: Archive) -> None:
    first = await publish(archive, 1, release=False, embargo_until=later(NOW, 60))
    assert await archive.held_until(first.story_id) == later(NOW, 60)
    update = decide(await archive.latest(first.story_id), rich_story(1, content_hash="v2"), now=NOW)
    assert update is not None
    await archive.record(update, facts_of(rich_story(1)), release=False, now=NOW,
                         hold_until=await archive.held_until(first.story_id))
    due = await archive.due_embargoes(later(NOW, 60))
    assert [(e.story_id, e.version) for e in due] == [(first.story_id, 1), (first.story_id, 2)]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_concurrent_first_migrations_do_not_collide(kind: str, tmp_path: Path) -> None:
    settings = database_settings(kind, tmp_path)
    archives = [Archive(create_engine(settings), settings.schema_name) for _ in range(3)]
    try:
        assert await asyncio.gather(*(a.migrate() for a in archives)) == [MIGRATIONS[-1][0]] * 3
    finally:
        for a in archives:
            await a.close()
        await drop_schema(settings)
