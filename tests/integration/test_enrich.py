"""Enrich on a real broker: bad input, non-English input, and near-duplicate state across a restart."""

from __future__ import annotations

import pytest

from services.enrich.app import create_app as enrich_app
from services.enrich.store import cluster_id_for
from shared.broker import ensure_topics
from shared.codec import decode, encode
from shared.contracts import DeadLetter, EnrichedStory
from shared.errors import ErrorCode
from shared.settings import Settings
from tests.support.kafka import collect, produce
from tests.unit.enrich.dedup_fixtures import SYNDICATED_BODY, WIRE_BODY
from tests.unit.enrich.stories import SUMMIT, story

pytestmark = pytest.mark.integration


async def test_empty_body_is_dead_lettered_and_a_german_story_still_flows(settings: Settings) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    empty = story("Nothing here", (" ",), story_id="empty-1")
    german = story("Stadtrat beschließt den Haushalt",
                   ("Der Stadtrat hat am Dienstag den Haushalt für die neue Straßenbahnlinie beschlossen, "
                    "sagten Beamte in der Stadt.",), story_id="de-1", language=None)
    async with enrich_app(settings):
        await produce(bootstrap, topics.normalized, [(s.story_id.encode(), encode(s)) for s in (empty, german)])
        letters = await collect(bootstrap, topics.dlq, until=lambda r: len(r) >= 1)
        enriched = await collect(bootstrap, topics.enriched, until=lambda r: len(r) >= 1)
    letter = decode(DeadLetter, letters[0].value)
    assert (letter.story_id, letter.error_code) == ("empty-1", ErrorCode.EMPTY_BODY)
    flowed = decode(EnrichedStory, enriched[0].value)
    assert (flowed.story_id, flowed.language) == ("de-1", "de")
    assert flowed.skipped


async def test_near_duplicate_state_survives_a_worker_restart(settings: Settings) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    original = story(SUMMIT[0], WIRE_BODY, story_id="ap-1")
    copy = story("Allies promise Ukraine air defence", SYNDICATED_BODY, story_id="site-2")
    async with enrich_app(settings):
        await produce(bootstrap, topics.normalized, [(b"ap-1", encode(original))])
        await collect(bootstrap, topics.enriched, until=lambda r: len(r) >= 1)
    async with enrich_app(settings):  # a new process would see the same database
        await produce(bootstrap, topics.normalized, [(b"site-2", encode(copy))])
        records = await collect(bootstrap, topics.enriched, until=lambda r: len(r) >= 2)
    by_id = {s.story_id: s for s in (decode(EnrichedStory, r.value) for r in records)}
    assert by_id["ap-1"].cluster_id == by_id["site-2"].cluster_id == cluster_id_for("ap-1")
    assert by_id["ap-1"].duplicate_of is None
    assert by_id["site-2"].duplicate_of == "ap-1"
