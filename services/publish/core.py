"""Publish: decide whether an enriched story is a new version, and render the published event (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.contracts import Action, EnrichedStory, PubStatus, StoryPublished
from shared.topics import Stage


@dataclass(frozen=True, slots=True)
class LatestVersion:
    """What the archive knows of a story's newest version."""

    version: int
    content_hash: str


def decide(latest: LatestVersion | None, enriched: EnrichedStory, *, now: datetime) -> StoryPublished | None:
    """Return the next version's event, or None when the content is unchanged (a re-delivery is a no-op)."""
    story = enriched.story
    if latest is not None and latest.content_hash == story.content_hash:
        return None
    version = 1 if latest is None else latest.version + 1
    return StoryPublished(
        story_id=enriched.story_id,
        version=version,
        action=Action.PUBLISH if version == 1 else Action.UPDATE,
        pubstatus=PubStatus.USABLE,
        content_hash=story.content_hash,
        headline=story.headline,
        source=story.source,
        language=enriched.language,
        word_count=enriched.word_count,
        trace=enriched.trace.stamped(Stage.PUBLISH, now),
    )


def summary_line(event: StoryPublished) -> str:
    """The one line the dev runner shows per delivered version."""
    return f"published {event.story_id} v{event.version} {event.headline}"
