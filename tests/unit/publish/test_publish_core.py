"""Versioning decisions of the publish core."""

from __future__ import annotations

from datetime import UTC, datetime

from services.publish.core import LatestVersion, decide, summary_line, version_hash
from shared.contracts import Action
from tests.support.factories import enriched_story

NOW = datetime(2026, 5, 4, 12, 1, tzinfo=UTC)


def test_first_sight_of_a_story_is_version_one() -> None:
    event = decide(None, enriched_story(1), now=NOW)
    assert event is not None
    assert (event.version, event.action) == (1, Action.PUBLISH)
    assert event.trace.published == NOW
    assert summary_line(event) == f"published {event.story_id} v1 {event.headline}"


def test_same_content_again_is_a_no_op_even_from_another_receipt() -> None:
    story = enriched_story(1)
    resent = story.model_copy(update={"story": story.story.model_copy(update={"item_id": "another-receipt"})})
    assert decide(LatestVersion(1, version_hash(story)), resent, now=NOW) is None


def test_changed_enrichment_alone_is_a_new_version() -> None:
    story = enriched_story(1)
    better = story.model_copy(update={"keywords": ("tramway",)})
    event = decide(LatestVersion(1, version_hash(story)), better, now=NOW)
    assert event is not None
    assert event.version == 2


def test_changed_content_is_the_next_version() -> None:
    event = decide(LatestVersion(3, "an older hash"), enriched_story(1), now=NOW)
    assert event is not None
    assert (event.version, event.action) == (4, Action.UPDATE)
