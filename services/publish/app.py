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
from services.publish.releases import Publisher
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

    publisher = Publisher(archive, lambda event: wiring.emit(topics.published, event), uri_base=options.uri_base)

    @wiring.broker.subscriber(topics.enriched, **wiring.subscriber_options())
    async def on_enriched(enriched: EnrichedStory) -> None:
        event = await publisher.accept(enriched, now=datetime.now(UTC))
        if event is not None:
            print(core.summary_line(event), flush=True)

    async def release_embargoes() -> None:
        # Polls the archive, not a timer per story, so holds survive a restart of the service.
        while True:
            try:
                for event in await publisher.release_due(now=datetime.now(UTC)):
                    print(core.summary_line(event), flush=True)
            except Exception:
                # Logged with its traceback and retried next tick: the holds stay in the archive.
                log.exception("embargo release failed")
            await asyncio.sleep(options.embargo_poll_s)

    async def archive_answers() -> bool:
        await archive.head()  # a trivial read: fails while the database is unreachable
        return True

    wiring.readiness.append(archive_answers)
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
