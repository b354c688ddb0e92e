"""Enrich service: normalized topic in, enriched topic out; scale by running more workers in its group."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import structlog
from faststream import FastStream

from services.enrich import core
from services.enrich.language import detect_language
from services.enrich.models import load_models
from services.enrich.store import DuplicateStore
from shared.contracts import NormalizedStory
from shared.db import create_engine
from shared.log import configure_logging
from shared.settings import Settings
from shared.stage import stage_app, wire_stage
from shared.topics import Stage

log = structlog.get_logger()


def create_app(settings: Settings | None = None) -> FastStream:
    """Build the enrich app around ``core.enrich``; models load once per process, at startup."""
    settings = settings or Settings()
    configure_logging(settings.log, service="enrich")
    wiring = wire_stage(Stage.ENRICH, settings)
    topics = settings.kafka.topics
    engine = create_engine(settings.database)
    store = DuplicateStore(engine)
    loaded: list[core.Analyzers] = []

    async def analyzers() -> core.Analyzers:
        # Startup calls this first, so no message waits for the models; a broker started without
        # the app (FastStream's TestKafkaBroker) still gets them on its first message.
        if not loaded:
            models = load_models()  # cached: every app in this process shares one NER pipeline
            await store.create_tables()
            loaded.append(core.Analyzers(recognize=models.ner, gazetteer=models.gazetteer, topics=models.topics))
        return loaded[0]

    @wiring.broker.subscriber(topics.normalized, **wiring.subscriber_options())
    async def on_normalized(story: NormalizedStory) -> None:
        started = time.perf_counter()
        enriched = core.enrich(story, now=datetime.now(UTC), detect_language=detect_language,
                               analyzers=await analyzers())
        cluster = await store.assign(story.story_id, core.story_fingerprint(story))
        enriched = core.with_cluster(enriched, cluster.cluster_id, cluster.duplicate_of)
        await wiring.emit(topics.enriched, enriched)
        log.info("story enriched", story_id=story.story_id, language=enriched.language, words=enriched.word_count,
                 people=len(enriched.people), places=len(enriched.places), cluster=cluster.cluster_id,
                 duplicate_of=cluster.duplicate_of, ms=round((time.perf_counter() - started) * 1000, 1))

    app = stage_app(wiring)

    @app.on_startup
    async def load() -> None:
        await analyzers()

    @app.after_shutdown
    async def close() -> None:
        await engine.dispose()

    return app
