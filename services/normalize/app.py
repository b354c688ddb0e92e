"""Normalize service: raw topic in, normalized topic out (dead letters for unreadable items)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import structlog
from faststream import FastStream

from services.normalize import core
from shared.contracts import RawItem
from shared.log import configure_logging
from shared.settings import Settings
from shared.stage import stage_app, wire_stage
from shared.topics import Stage

log = structlog.get_logger()


def create_app(settings: Settings | None = None) -> FastStream:
    """Build the normalize app around ``core.normalize``."""
    settings = settings or Settings()
    configure_logging(settings.log, service="normalize")
    wiring = wire_stage(Stage.NORMALIZE, settings)
    topics = settings.kafka.topics

    @wiring.broker.subscriber(topics.raw, **wiring.subscriber_options())
    async def on_raw(raw: RawItem) -> None:
        started = time.perf_counter()
        story = core.normalize(raw, now=datetime.now(UTC), max_bytes=settings.normalize.max_input_bytes)
        await wiring.emit(topics.normalized, story)
        log.info("story normalized", story_id=story.story_id, fixes=list(story.fixes),
                 ms=round((time.perf_counter() - started) * 1000, 1))

    return stage_app(wiring)
