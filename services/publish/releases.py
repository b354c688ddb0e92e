"""Turning enriched stories into archived versions and releasing them: published topic first, then the feed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import structlog

from services.publish import core
from services.publish.archive import Archive
from services.publish.filters import facts_of
from shared.contracts import EnrichedStory, StoryPublished

log = structlog.get_logger()
Emit = Callable[[StoryPublished], Awaitable[None]]


class Publisher:
    """Versioning, embargo holds and release of one publish service."""

    def __init__(self, archive: Archive, emit: Emit, *, uri_base: str) -> None:
        self._archive = archive
        self._emit = emit
        self._uri_base = uri_base

    async def accept(self, enriched: EnrichedStory, *, now: datetime) -> StoryPublished | None:
        """Archive the next version of ``enriched``; returns it when released now (None: no-op or held)."""
        event = core.decide(await self._archive.latest(enriched.story_id), enriched, now=now,
                            uri_base=self._uri_base)
        if event is None:
            log.info("unchanged story skipped", story_id=enriched.story_id)
            return None
        facts = facts_of(enriched)
        # A version never overtakes a held earlier one: it waits for the same release, in version order.
        earlier_hold = await self._archive.held_until(event.story_id)
        if core.embargoed(event, now=now) or earlier_hold is not None:
            hold = max(filter(None, (earlier_hold, event.embargo_until)))
            await self._archive.record(event, facts, release=False, now=now, hold_until=hold, source=enriched)
            log.info("story held under embargo", story_id=event.story_id, version=event.version, until=str(hold))
            return None
        # Published topic first, then the feed: a crash in between re-delivers the same
        # (story_id, version), which the archive and topic consumers de-duplicate; the reverse would lose it.
        await self._emit(event)
        seq = await self._archive.record(event, facts, release=True, now=now, source=enriched)
        log.info("story published", story_id=event.story_id, version=event.version,
                 action=str(event.action), seq=seq)
        return event

    async def release_due(self, *, now: datetime) -> list[StoryPublished]:
        """Release every version whose embargo has passed, in embargo then arrival order."""
        released = []
        for event in await self._archive.due_embargoes(now):
            await self._emit(event)  # topic before feed, as in accept
            await self._archive.release(event, now)
            log.info("embargo lifted", story_id=event.story_id, version=event.version)
            released.append(event)
        return released
