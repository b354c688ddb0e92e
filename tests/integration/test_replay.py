"""Replay of a topic range after an enrichment change: updates only for changed stories, resumable."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from services.enrich import core as enrich_core
from services.enrich.app import create_app as enrich_app
from services.ops.replay import plan_replay, replay_progress, run_replay
from services.publish.app import create_app as publish_app
from shared.broker import ensure_topics
from shared.codec import decode, encode
from shared.contracts import StoryPublished
from shared.settings import Settings
from shared.topics import Stage
from tests.support.factories import normalized_story
from tests.support.kafka import collect, produce

pytestmark = pytest.mark.integration


async def test_replay_publishes_updates_only_for_changed_stories_and_resumes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    stories = [normalized_story(n) for n in range(12)]
    changed = {s.story_id for s in stories[:3]}
    await produce(bootstrap, topics.normalized, [(s.story_id.encode(), encode(s)) for s in stories])

    def published(records: list[Any]) -> list[StoryPublished]:
        return [decode(StoryPublished, r.value) for r in records]

    async with publish_app(settings):
        async with enrich_app(settings):
            first = await collect(bootstrap, topics.published, until=lambda r: len(r) >= 12)
        assert len(first) == 12

        # "Improve" enrichment: three stories now get an extra keyword.
        original = enrich_core.enrich

        stop = asyncio.Event()

        def improved(story: Any, **kwargs: Any) -> Any:
            stop.set()  # as if the operator pressed Ctrl-C while the first story was processed
            result = original(story, **kwargs)
            if story.story_id in changed:
                result = result.model_copy(update={"keywords": (*result.keywords, "tramway")})
            return result

        monkeypatch.setattr(enrich_core, "enrich", improved)
        plan = await plan_replay(settings, Stage.ENRICH, name="after-keyword-fix")
        assert plan.total == 12
        finished = await run_replay(settings, plan, stop=stop, on_progress=lambda done, total: None)
        stopped_at = await replay_progress(settings, plan)
        seen: list[int] = []
        finished_again = await run_replay(
            settings, plan, stop=asyncio.Event(), on_progress=lambda done, total: seen.append(done)
        )
        records = await collect(bootstrap, topics.published, until=lambda r: len(r) >= 15, timeout_s=20)
    assert not finished
    assert 1 <= stopped_at < 12  # it stopped part-way, having committed what it finished ...
    assert finished_again
    assert seen[0] >= stopped_at  # ... and the re-run continued from there
    assert seen[-1] == 12
    events = published(records)
    updates = [e for e in events if e.version > 1]
    assert sorted(e.story_id for e in updates) == sorted(changed)
    assert all(e.version == 2 for e in updates)
    assert len(events) == 15  # no duplicate delivery of unchanged stories


async def test_time_bounded_replay_processes_only_records_in_the_window(settings: Settings) -> None:
    from datetime import UTC, datetime, timedelta

    from aiokafka import AIOKafkaProducer

    from shared.contracts import NormalizedStory
    from tests.support.factories import raw_item

    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    now = datetime.now(UTC)
    old, new = [raw_item(n) for n in range(5)], [raw_item(n) for n in range(5, 9)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for items, at in ((old, now - timedelta(hours=2)), (new, now)):
            for item in items:
                await producer.send_and_wait(topics.raw, encode(item), key=item.story_id.encode(),
                                             timestamp_ms=int(at.timestamp() * 1000))
    finally:
        await producer.stop()
    plan = await plan_replay(settings, Stage.NORMALIZE, since=now - timedelta(hours=1), name="last-hour")
    done = await run_replay(settings, plan, stop=asyncio.Event(), on_progress=lambda d, t: None)
    records = await collect(bootstrap, topics.normalized, until=lambda r: len(r) >= 4)
    assert done
    headlines = sorted(decode(NormalizedStory, r.value).headline for r in records)
    assert headlines == sorted(f"Council approves budget number {n} for new tram line" for n in range(5, 9))
    if plan.notes:  # the embedded broker: offsets_for_times is wrong, so the replay scanned timestamps
        assert "scanning record timestamps" in plan.notes[0]
        assert plan.total == 9
    else:
        assert plan.total == 4
    print(f"time-bounded replay plan: total={plan.total} notes={plan.notes}")


async def test_replay_from_archive_re_enriches_stories_the_topic_no_longer_needs_to_hold(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.ops.replay import replay_from_archive

    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    stories = [normalized_story(n) for n in range(6)]
    await produce(bootstrap, topics.normalized, [(s.story_id.encode(), encode(s)) for s in stories])
    async with publish_app(settings), enrich_app(settings):
        await collect(bootstrap, topics.published, until=lambda r: len(r) >= 6)
        original = enrich_core.enrich
        changed = stories[0].story_id

        def improved(story: Any, **kwargs: Any) -> Any:
            result = original(story, **kwargs)
            return result.model_copy(update={"keywords": ("tramway",)}) if story.story_id == changed else result

        monkeypatch.setattr(enrich_core, "enrich", improved)
        stop = asyncio.Event()
        progress: list[tuple[int, int]] = []
        finished = await replay_from_archive(settings, Stage.ENRICH, since=None, until=None, name="archive-1",
                                             stop=stop, on_progress=lambda d, t: progress.append((d, t)))
        records = await collect(bootstrap, topics.published, until=lambda r: len(r) >= 7, timeout_s=20)
        again: list[tuple[int, int]] = []
        await replay_from_archive(settings, Stage.ENRICH, since=None, until=None, name="archive-1",
                                  stop=asyncio.Event(), on_progress=lambda d, t: again.append((d, t)))
    assert finished
    assert progress[-1] == (6, 6)
    assert again == [(6, 6)]  # the same name continues where it stopped: nothing left to send
    events = [decode(StoryPublished, r.value) for r in records]
    assert [(e.story_id, e.version) for e in events if e.version > 1] == [(changed, 2)]
    assert len(events) == 7
