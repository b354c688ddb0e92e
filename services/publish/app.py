"""Publish service: enriched topic in; versions archived, released to the published topic and to subscribers."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import anyio
import structlog
from faststream import FastStream

from services.publish import core
from services.publish.api import create_api
from services.publish.archive import Archive
from services.publish.filters import facts_of
from services.publish.webhook_dispatch import WebhookDispatcher
from shared.contracts import EnrichedStory
from shared.db import create_engine
from shared.http_server import HttpServer
from shared.log import configure_logging
from shared.settings import Settings
from shared.stage import stage_app, wire_stage
from shared.topics import Stage

log = structlog.get_logger()


def open_archive(settings: Settings) -> Archive:
    """The archive on the configured database (tables are created by ``Archive.migrate``)."""
    return Archive(create_engine(settings.database), settings.database.schema_name)


def create_app(settings: Settings | None = None) -> FastStream:
    """Build the publish app; archive, subscriber API, embargo clock and webhooks open and close with it."""
    settings = settings or Settings()
    configure_logging(settings.log, service="publish")
    wiring = wire_stage(Stage.PUBLISH, settings)
    topics = settings.kafka.topics
    options = settings.publish
    archive = open_archive(settings)
    shutdown = anyio.Event()
    server = HttpServer(create_api(archive, options, shutdown), options.http_host, options.http_port, shutdown)
    dispatcher = WebhookDispatcher(archive, options)
    tasks: list[asyncio.Task[None]] = []

    @wiring.broker.subscriber(topics.enriched, **wiring.subscriber_options())
    async def on_enriched(enriched: EnrichedStory) -> None:
        now = datetime.now(UTC)
        event = core.decide(await archive.latest(enriched.story_id), enriched, now=now, uri_base=options.uri_base)
        if event is None:
            log.info("unchanged story skipped", story_id=enriched.story_id)
            return
        facts = facts_of(enriched)
        # A version never overtakes a held earlier one: it waits for the same release, in version order.
        earlier_hold = await archive.held_until(event.story_id)
        if core.embargoed(event, now=now) or earlier_hold is not None:
            hold = max(filter(None, (earlier_hold, event.embargo_until)))
            await archive.record(event, facts, release=False, now=now, hold_until=hold)
            log.info("story held under embargo", story_id=event.story_id, version=event.version, until=str(hold))
            return
        # Published topic first, then the feed: a crash in between re-delivers the same
        # (story_id, version), which the archive and topic consumers de-duplicate; the reverse would lose it.
        await wiring.emit(topics.published, event)
        seq = await archive.record(event, facts, release=True, now=now)
        print(core.summary_line(event), flush=True)
        log.info("story published", story_id=event.story_id, version=event.version,
                 action=str(event.action), seq=seq)

    async def release_embargoes() -> None:
        # Polls the archive, not a timer per story, so holds survive a restart of the service.
        while True:
            try:
                await release_due(datetime.now(UTC))
            except Exception:
                # Logged with its traceback and retried next tick: the holds stay in the archive.
                log.exception("embargo release failed")
            await asyncio.sleep(options.embargo_poll_s)

    async def release_due(now: datetime) -> None:
        for event in await archive.due_embargoes(now):
            await wiring.emit(topics.published, event)  # topic before feed, as in on_enriched
            await archive.release(event, now)
            print(core.summary_line(event), flush=True)
            log.info("embargo lifted", story_id=event.story_id, version=event.version)

    app = stage_app(wiring)

    @app.on_startup
    async def open_resources() -> None:
        await archive.migrate()
        await server.start()
        log.info("subscriber API listening", host=options.http_host, port=server.port)

    @app.after_startup
    async def start_clock() -> None:
        tasks.append(asyncio.create_task(release_embargoes()))
        tasks.append(asyncio.create_task(dispatcher.run()))

    @app.on_shutdown
    async def stop_serving() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await dispatcher.close()
        await server.stop()

    app.after_shutdown(archive.close)
    return app
