"""Each stage's create_app under FastStream's TestKafkaBroker: contracts in, contracts or dead letters out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from faststream import FastStream
from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.enrich.app import create_app as enrich_app
from services.normalize.app import create_app as normalize_app
from services.publish.app import create_app as publish_app
from shared.codec import encode
from shared.contracts import DeadLetter, EnrichedStory, NormalizedStory, StoryPublished
from shared.errors import ErrorCode
from shared.settings import Settings
from tests.support.factories import enriched_story, normalized_story, raw_item


@asynccontextmanager
async def under_test_broker(app: FastStream) -> AsyncIterator[KafkaBroker]:
    """The app's broker under TestKafkaBroker; the app's shutdown hooks run after (databases closed)."""
    try:
        async with TestKafkaBroker(app.broker) as broker:  # type: ignore[arg-type]
            yield broker
    finally:
        await app.stop()


def sinks(broker: KafkaBroker, *topics: str) -> dict[str, Any]:
    """Subscribe a recording handler to each topic (registered before the test broker starts)."""
    handlers = {}
    for topic in topics:

        @broker.subscriber(topic)
        async def record(body: dict[str, Any]) -> None:
            return None

        handlers[topic] = record
    return handlers


async def test_normalize_turns_a_raw_item_into_a_story_keyed_by_story_id(offline_settings: Settings) -> None:
    topics = offline_settings.kafka.topics
    app = normalize_app(offline_settings)
    out = sinks(app.broker, topics.normalized, topics.dlq)  # type: ignore[arg-type]
    item = raw_item(1)
    async with under_test_broker(app) as broker:
        await broker.publish(encode(item), topics.raw, key=item.story_id.encode())
        out[topics.dlq].mock.assert_not_called()
        story = NormalizedStory.model_validate(out[topics.normalized].mock.call_args.args[0])
        assert story.headline == "Council approves budget number 1 for new tram line"
        assert story.trace.ingested is not None
        assert story.trace.normalized is not None


async def test_enrich_adds_language_and_counts(offline_settings: Settings) -> None:
    topics = offline_settings.kafka.topics
    app = enrich_app(offline_settings)
    out = sinks(app.broker, topics.enriched, topics.dlq)  # type: ignore[arg-type]
    story = normalized_story(2)
    async with under_test_broker(app) as broker:
        await broker.publish(encode(story), topics.normalized, key=story.story_id.encode())
        enriched = EnrichedStory.model_validate(out[topics.enriched].mock.call_args.args[0])
        assert enriched.language == "en"
        assert enriched.word_count > 20
        assert enriched.story == story


async def test_publish_versions_and_skips_identical_redelivery(
    offline_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = offline_settings.kafka.topics
    app = publish_app(offline_settings)
    out = sinks(app.broker, topics.published)  # type: ignore[arg-type]
    story = enriched_story(3)
    changed = enriched_story(3).model_copy(
        update={"story": story.story.model_copy(update={"content_hash": "new"})}
    )
    async with under_test_broker(app) as broker:
        for message in (story, story, changed):
            await broker.publish(encode(message), topics.enriched, key=story.story_id.encode())
        events = [StoryPublished.model_validate(c.args[0]) for c in out[topics.published].mock.call_args_list]
        assert [(e.version, e.action) for e in events] == [(1, "publish"), (2, "update")]
        assert capsys.readouterr().out.splitlines() == [
        f"published {story.story_id} v1 {story.story.headline}",
        f"published {story.story_id} v2 {story.story.headline}",
        ]


@pytest.mark.parametrize(
    ("factory", "topic_of", "payload", "code"),
    [
        (normalize_app, lambda t: t.raw, b"\xff\xfe garbage", ErrorCode.MALFORMED_MESSAGE),
        (normalize_app, lambda t: t.raw, encode(raw_item(4).model_copy(update={"body": b" \n"})),
         ErrorCode.EMPTY_INPUT),
        (enrich_app, lambda t: t.normalized, b'{"story_id": "only"}', ErrorCode.MALFORMED_MESSAGE),
        (publish_app, lambda t: t.enriched, b"[]", ErrorCode.MALFORMED_MESSAGE),
    ],
)
async def test_bad_input_becomes_a_dead_letter_with_the_original_bytes(
    offline_settings: Settings, factory: Any, topic_of: Any, payload: bytes, code: ErrorCode
) -> None:
    topics = offline_settings.kafka.topics
    app = factory(offline_settings)
    out = sinks(app.broker, topics.dlq)
    async with under_test_broker(app) as broker:
        await broker.publish(payload, topic_of(topics), key=b"k1", headers={"content-type": "application/json"})
        letter = DeadLetter.model_validate(out[topics.dlq].mock.call_args.args[0])
        assert letter.error_code == code
        assert letter.original == payload
        assert letter.story_id == "k1"
