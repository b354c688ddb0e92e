"""Ingest service: a folder drop that publishes raw items to the raw topic."""

from __future__ import annotations

import asyncio
import contextlib

from faststream import FastStream

from services.ingest.folder import watch_folder
from shared.contracts import RawItem
from shared.log import configure_logging
from shared.settings import Settings
from shared.stage import stage_app, wire_stage
from shared.topics import Stage


def create_app(settings: Settings | None = None) -> FastStream:
    """Build the ingest app; the folder watcher runs between broker start and shutdown."""
    settings = settings or Settings()
    configure_logging(settings.log, service="ingest")
    wiring = wire_stage(Stage.INGEST, settings)
    app = stage_app(wiring)
    tasks: list[asyncio.Task[None]] = []

    async def emit(item: RawItem) -> None:
        await wiring.emit(settings.kafka.topics.raw, item)

    @app.after_startup
    async def start_watching() -> None:
        ingest = settings.ingest
        tasks.append(asyncio.create_task(
            watch_folder(ingest.inbox, source=ingest.source, emit=emit, interval_s=ingest.poll_interval_s)
        ))

    @app.on_shutdown
    async def stop_watching() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return app
