"""Publish service: enriched topic in; each new version goes to the published topic and is printed."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from faststream import FastStream

from services.publish import core
from services.publish.versions import VersionStore, sqlite_path
from shared.contracts import EnrichedStory
from shared.log import configure_logging
from shared.settings import Settings
from shared.stage import stage_app, wire_stage
from shared.topics import Stage

log = structlog.get_logger()


def create_app(settings: Settings | None = None) -> FastStream:
    """Build the publish app; the version store opens with the app and closes with it."""
    settings = settings or Settings()
    configure_logging(settings.log, service="publish")
    wiring = wire_stage(Stage.PUBLISH, settings)
    topics = settings.kafka.topics
    store = VersionStore(sqlite_path(settings.database.url))

    @wiring.broker.subscriber(topics.enriched, **wiring.subscriber_options())
    async def on_enriched(enriched: EnrichedStory) -> None:
        event = core.decide(await store.alatest(enriched.story_id), enriched, now=datetime.now(UTC))
        if event is None:
            log.info("unchanged story skipped", story_id=enriched.story_id)
            return
        # Deliver first, then record: a crash in between re-delivers the same
        # (story_id, version), which subscribers de-duplicate; the reverse order would lose it.
        await wiring.emit(topics.published, event)
        await store.arecord(event)
        print(core.summary_line(event), flush=True)
        log.info("story published", story_id=event.story_id, version=event.version)

    app = stage_app(wiring)
    app.on_shutdown(store.close)
    return app
