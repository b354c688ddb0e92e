"""The four services on a real Kafka-protocol broker: flow, scaling, restarts and dead letters."""

from __future__ import annotations

from contextlib import AsyncExitStack

import pytest

from services.enrich.app import create_app as enrich_app
from services.ingest.app import create_app as ingest_app
from services.normalize.app import create_app as normalize_app
from services.publish.app import create_app as publish_app
from shared.broker import ensure_topics
from shared.codec import decode, encode
from shared.contracts import DeadLetter, EnrichedStory, NormalizedStory, StoryPublished
from shared.errors import ErrorCode
from shared.settings import Settings
from shared.topics import Stage
from tests.support.factories import enriched_story, normalized_story, raw_item, story_text
from tests.support.kafka import collect, produce, wait_for

pytestmark = pytest.mark.integration


async def test_item_dropped_in_ingest_arrives_published_with_all_trace_stamps(settings: Settings) -> None:
    topics = settings.kafka.topics
    async with AsyncExitStack() as stack:
        for factory in (publish_app, enrich_app, normalize_app, ingest_app):
            await stack.enter_async_context(factory(settings))
        settings.ingest.inbox.mkdir(parents=True, exist_ok=True)
        (settings.ingest.inbox / "story.txt").write_bytes(story_text(1))
        records = await collect(settings.kafka.bootstrap_servers or "", topics.published,
                                until=lambda r: len(r) >= 1)
    assert len(records) == 1
    event = decode(StoryPublished, records[0].value)
    assert event.version == 1
    assert event.headline == "Council approves budget number 1 for new tram line"
    assert event.trace.complete()
    trace = event.trace
    assert trace.ingested <= trace.normalized <= trace.enriched <= trace.published  # type: ignore[operator]
    assert records[0].key == event.story_id.encode()
    assert (settings.ingest.inbox / "done" / "story.txt").exists()


async def test_two_enrich_workers_split_partitions_and_enrich_each_story_once(settings: Settings) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    stories = [normalized_story(n) for n in range(60)]
    async with enrich_app(settings) as one, enrich_app(settings) as two:
        workers = [next(iter(app.broker.subscribers)) for app in (one, two)]  # type: ignore[union-attr]

        def assigned(sub: object) -> set[int]:
            consumer = getattr(sub, "consumer", None)
            return {tp.partition for tp in consumer.assignment()} if consumer else set()

        # Both members joined and the group has settled before any story is produced.
        await wait_for(lambda: all(assigned(w) for w in workers)
                       and len(assigned(workers[0]) | assigned(workers[1])) == settings.kafka.normalized_partitions,
                       what="two workers to share the normalized partitions")
        await produce(bootstrap, topics.normalized, [(s.story_id.encode(), encode(s)) for s in stories])
        records = await collect(bootstrap, topics.enriched, until=lambda r: len(r) >= len(stories))
        parts = [assigned(w) for w in workers]
    assert parts[0].isdisjoint(parts[1])
    assert parts[0] | parts[1] == set(range(settings.kafka.normalized_partitions))
    ids = [decode(EnrichedStory, r.value).story_id for r in records]
    assert sorted(ids) == sorted(s.story_id for s in stories)  # every story, none twice


async def test_restarted_normalize_resumes_from_committed_offset_without_losing_stories(
    settings: Settings,
) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    first, second = [raw_item(n) for n in range(20)], [raw_item(n) for n in range(20, 40)]
    async with normalize_app(settings):
        await produce(bootstrap, topics.raw, [(r.story_id.encode(), encode(r)) for r in first])
        await collect(bootstrap, topics.normalized, until=lambda r: len(r) >= 10)
    # Stopped mid-stream (maybe with items of `first` unprocessed); more arrive while it is down.
    await produce(bootstrap, topics.raw, [(r.story_id.encode(), encode(r)) for r in second])
    async with normalize_app(settings):
        records = await collect(bootstrap, topics.normalized, until=lambda r: len({x.key for x in r}) >= 40)
    headlines = {decode(NormalizedStory, r.value).headline for r in records}
    assert headlines == {f"Council approves budget number {n} for new tram line" for n in range(40)}
    # At-least-once, but a clean restart commits what it finished: no story is processed twice.
    assert len(records) == 40


@pytest.mark.parametrize(
    ("stage", "good_message"),
    [
        (Stage.NORMALIZE, lambda: raw_item(7)),
        (Stage.ENRICH, lambda: normalized_story(8)),
        (Stage.PUBLISH, lambda: enriched_story(9)),
    ],
)
async def test_malformed_message_is_dead_lettered_and_the_next_one_flows(
    settings: Settings, stage: Stage, good_message: object
) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    good = good_message()  # type: ignore[operator]
    poison = b'{"schema_version": 1, "story_id": "x", "this is": "not a story"'
    async with AsyncExitStack() as stack:
        for factory in (publish_app, enrich_app, normalize_app):
            await stack.enter_async_context(factory(settings))
        messages = [(b"poison-1", poison), (good.story_id.encode(), encode(good))]
        await produce(bootstrap, topics.input_of(stage), messages)
        published = await collect(bootstrap, topics.published, until=lambda r: len(r) >= 1)
        letters = await collect(bootstrap, topics.dlq, until=lambda r: len(r) >= 1)
    assert [decode(StoryPublished, r.value).story_id for r in published] == [good.story_id]
    assert len(letters) == 1
    letter = decode(DeadLetter, letters[0].value)
    assert letter.stage == stage
    assert letter.error_code == ErrorCode.MALFORMED_MESSAGE
    assert letter.original == poison
    assert letter.story_id == "poison-1"
    assert letter.source_topic == topics.input_of(stage)
    assert letter.source_offset is not None


async def test_bad_input_that_parses_is_dead_lettered_with_its_own_code(settings: Settings) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    empty = raw_item(1).model_copy(update={"body": b"   \n "})
    async with normalize_app(settings):
        await produce(bootstrap, topics.raw, [(empty.story_id.encode(), encode(empty))])
        letters = await collect(bootstrap, topics.dlq, until=lambda r: len(r) >= 1)
    letter = decode(DeadLetter, letters[0].value)
    assert letter.error_code == ErrorCode.EMPTY_INPUT
    assert decode(type(empty), letter.original).body == b"   \n "
