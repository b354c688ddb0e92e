"""Enrich service: normalized topic in, enriched topic out; scale by running more workers in its group."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import structlog
from faststream import FastStream

from services.enrich import core
from services.enrich.language import detect_language
from shared.contracts import NormalizedStory
from shared.log import configure_logging
from shared.settings import Settings
from shared.stage import stage_app, wire_stage
from shared.topics import Stage

log = structlog.get_logger()


def create_app(settings: Settings | None = None) -> FastStream:
    """Build the enrich app around ``core.enrich``."""
    settings = settings or Settings()
    configure_logging(settings.log, service="enrich")
    wiring = wire_stage(Stage.ENRICH, settings)
    topics = settings.kafka.topics

    @wiring.broker.subscriber(topics.normalized, **wiring.subscriber_options())
    async def on_normalized(story: NormalizedStory) -> None:
        started = time.perf_counter()
        enriched = core.enrich(story, now=datetime.now(UTC), detect_language=detect_language)
        await wiring.emit(topics.enriched, enriched)
        log.info("story enriched", story_id=story.story_id, language=enriched.language,
                 words=enriched.word_count, ms=round((time.perf_counter() - started) * 1000, 1))

    return stage_app(wiring)
