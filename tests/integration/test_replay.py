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
