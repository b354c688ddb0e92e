"""Publish: decide whether an enriched story is a new version and which action it is, render its event (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.publish.ninjs import render_ninjs
from shared.contracts import Action, EnrichedStory, NormalizedStory, PubStatus, StoryPublished
from shared.ids import content_hash
from shared.topics import Stage

CORRECTION_MARKERS = ("CORRECTED", "CORRECTION", "CORRECTS", "(CORRECTS", "REFILED")
"""Headline or lead prefixes with which agencies flag a corrected version."""
KILL_MARKERS = ("KILL", "KILLED", "ELIMINATE", "ELIMINATION", "MANDATORY KILL")
"""Prefixes of a kill notice: the story must not be used and must be removed."""
WITHHOLD_MARKERS = ("WITHHOLD", "WITHHELD", "WITHDRAWN")
"""Prefixes of a withhold notice: the story must not be used until further notice."""
_SIGNALS = {
    "correction": Action.CORRECT, "correct": Action.CORRECT, "kill": Action.KILL, "withhold": Action.WITHHOLD,
    "withheld": Action.WITHHOLD, "update": Action.UPDATE, "refresh": Action.UPDATE,
}
_PUBSTATUS = {Action.KILL: PubStatus.CANCELED, Action.WITHHOLD: PubStatus.WITHHELD}
_FROM_PUBSTATUS = {PubStatus.CANCELED: Action.KILL, PubStatus.WITHHELD: Action.WITHHOLD}


@dataclass(frozen=True, slots=True)
class LatestVersion:
    """What the archive knows of a story's newest version."""

    version: int
    content_hash: str
    firstcreated: datetime | None = None


def _starts_with_marker(text: str, markers: tuple[str, ...]) -> bool:
    upper = text.lstrip().upper()
    return any(upper.startswith(m) and upper[len(m):len(m) + 1] in (":", " ", "-", "—", ")", "") for m in markers)


def source_action(story: NormalizedStory) -> Action | None:
    """The action the source flagged on this story (kill, withhold, correction, update), if any."""
    # Structured agency data (pubstatus, version signals) wins over headline conventions;
    # the strongest signal wins when several are sent (a kill notice may also say "update").
    flagged = {_SIGNALS[s.lower()] for s in story.source_signals if s.lower() in _SIGNALS}
    if story.source_pubstatus in _FROM_PUBSTATUS:
        flagged.add(_FROM_PUBSTATUS[story.source_pubstatus])
    for action in (Action.KILL, Action.WITHHOLD, Action.CORRECT, Action.UPDATE):
        if action in flagged:
            return action
    lead = story.body_paragraphs[0] if story.body_paragraphs else ""
    for text in (story.headline, lead):
        if _starts_with_marker(text, KILL_MARKERS):
            return Action.KILL
        if _starts_with_marker(text, WITHHOLD_MARKERS):
            return Action.WITHHOLD
        if _starts_with_marker(text, CORRECTION_MARKERS):
            return Action.CORRECT
    return None


_ENRICHMENT_FIELDS = frozenset(
    {"language", "people", "organisations", "places", "subjects", "keywords", "quotes", "summary"}
)
"""What enrich adds that subscribers see; a change in any of these is a new version."""


def version_hash(enriched: EnrichedStory) -> str:
    """Hash of everything a subscriber would see change: the story's content and its enrichment.

    Receipt ids, traces and confidence scores are left out, so a re-delivery or a
    replay that changes nothing visible stays a no-op.
    """
    enrichment = enriched.model_dump_json(include=set(_ENRICHMENT_FIELDS))
    return content_hash((enriched.story.content_hash, enrichment))


def decide(
    latest: LatestVersion | None, enriched: EnrichedStory, *, now: datetime, uri_base: str = "urn:newswire:story:"
) -> StoryPublished | None:
    """Return the next version's event, or None for unchanged content or a kill/withhold of nothing.

    Same content hash → None (a re-delivery is a no-op). A first version is a
    publish; later ones are an update, or whatever the source flagged.
    """
    story = enriched.story
    fingerprint = version_hash(enriched)
    if latest is not None and latest.content_hash == fingerprint:
        return None
    flagged = source_action(story)
    if latest is None and flagged in (Action.KILL, Action.WITHHOLD):
        return None  # nothing was delivered, so there is nothing to take back
    later = flagged if flagged is not None else Action.UPDATE
    action = Action.PUBLISH if latest is None else later
    version = 1 if latest is None else latest.version + 1
    pubstatus = _PUBSTATUS.get(action, PubStatus.USABLE)
    firstcreated = (latest.firstcreated if latest and latest.firstcreated else None) or story.published_at or now
    document = render_ninjs(
        enriched,
        uri=f"{uri_base}{enriched.story_id}",
        version=version,
        action=action,
        pubstatus=pubstatus,
        firstcreated=firstcreated,
        versioncreated=now,
    )
    return StoryPublished(
        story_id=enriched.story_id,
        version=version,
        action=action,
        pubstatus=pubstatus,
        content_hash=fingerprint,
        headline=story.headline,
        source=story.source,
        language=enriched.language,
        word_count=enriched.word_count,
        trace=enriched.trace.stamped(Stage.PUBLISH, now),
        urgency=story.urgency,
        embargo_until=story.embargo_until,
        ninjs=document,
    )


def embargoed(event: StoryPublished, *, now: datetime) -> bool:
    """True while ``event`` may be delivered to no one."""
    return event.embargo_until is not None and event.embargo_until > now


def summary_line(event: StoryPublished) -> str:
    """The one line the dev runner shows per delivered version."""
    return f"published {event.story_id} v{event.version} {event.headline}"
