"""The publish app under TestKafkaBroker: embargoed versions stay off the published topic, in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from faststream.kafka import TestKafkaBroker

from services.publish.app import create_app as publish_app
from services.publish.app import open_archive
from shared.codec import encode
from shared.contracts import StoryPublished
from shared.settings import Settings
from tests.component.test_stage_apps import sinks
from tests.support.publishing import rich_story


async def test_embargoed_story_and_its_later_versions_are_held_back(offline_settings: Settings) -> None:
    topics = offline_settings.kafka.topics
    app = publish_app(offline_settings)
    out = sinks(app.broker, topics.published)  # type: ignore[arg-type]
    embargoed = rich_story(1, embargo_until=datetime.now(UTC) + timedelta(hours=1))
    update = rich_story(1, content_hash="second")  # no embargo of its own
    free = rich_story(2)
    async with TestKafkaBroker(app.broker) as broker:  # type: ignore[arg-type]
        for story in (embargoed, update, free):
            await broker.publish(encode(story), topics.enriched, key=story.story_id.encode())
        events = [StoryPublished.model_validate(c.args[0]) for c in out[topics.published].mock.call_args_list]
    assert [e.story_id for e in events] == [free.story_id]
    archive = open_archive(offline_settings)
    try:
        latest = await archive.latest(embargoed.story_id)
        held = await archive.held_until(embargoed.story_id)
    finally:
        await archive.close()
    assert latest is not None
    assert latest.version == 2  # both versions archived...
    assert held == embargoed.story.embargo_until  # ...and held until the first one's embargo
