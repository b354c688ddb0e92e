"""Ingest service: push API, folder drop (and feed polling) publishing raw items to the raw topic."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from aiokafka.errors import KafkaError
from faststream import FastStream
from prometheus_client import Gauge

from services.ingest.feeds import FeedPoller, feed_client
from services.ingest.folder import FolderDrop
from services.ingest.push import Emit, create_push_api
from services.ingest.sources import SourceKind, SourcesRegistry, load_registry
from services.ingest.store import IngestStore
from shared.contracts import RawItem
from shared.db import create_engine
from shared.errors import ErrorCode, TransientError
from shared.http_server import HttpServer
from shared.log import configure_logging
from shared.settings import Settings
from shared.stage import StageWiring, stage_app, wire_stage
from shared.topics import Stage

RUNTIME_KEY = "ingest"
"""Key of the IngestRuntime in the app's context (tests read the push API's bound port from it)."""


@dataclass
class IngestRuntime:
    """What the ingest service runs between broker start and shutdown."""

    registry: SourcesRegistry
    store: IngestStore
    server: HttpServer | None = None
    client: httpx.AsyncClient | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


def broker_emitter(wiring: StageWiring, timeout_s: float) -> Emit:
    """Publish raw items; a broker that does not acknowledge in time is a TransientError (push answers 503)."""

    async def emit(item: RawItem) -> None:
        try:
            async with asyncio.timeout(timeout_s):
                await wiring.emit(wiring.settings.kafka.topics.raw, item)
        except (KafkaError, TimeoutError, OSError) as exc:
            raise TransientError(f"broker did not acknowledge the item: {exc!r}",
                                 code=ErrorCode.BROKER_UNAVAILABLE) from exc

    return emit


def create_app(settings: Settings | None = None) -> FastStream:
    """Build the ingest app; its inputs start after the broker and stop before it."""
    settings = settings or Settings()
    configure_logging(settings.log, service="ingest")
    wiring = wire_stage(Stage.INGEST, settings)
    app = stage_app(wiring)
    ingest = settings.ingest
    # Fail at startup, not at the first push, when the registry file is wrong.
    registry = load_registry(ingest.sources_file)
    engine = create_engine(settings.database)
    runtime = IngestRuntime(registry=registry, store=IngestStore(engine))
    app.context.set_global(RUNTIME_KEY, runtime)
    emit = broker_emitter(wiring, ingest.push.publish_timeout_s)

    @app.after_startup
    async def start_inputs() -> None:
        await runtime.store.create()
        runtime.stop = asyncio.Event()
        if ingest.push.enabled:
            api = create_push_api(registry, runtime.store, emit, ingest.push)
            runtime.server = HttpServer(api, ingest.push.host, ingest.push.port)
            await runtime.server.start()
        window = timedelta(seconds=ingest.push.idempotency_window_s)
        folders = [(ingest.inbox, ingest.source, None)] + [
            (s.path, s.id, s.agency) for s in registry.of_kind(SourceKind.FOLDER) if s.path is not None]
        for inbox, source, agency in folders:
            drop = FolderDrop(inbox, source, emit, wiring.dead_letter, runtime.store, ingest.push.max_body_bytes,
                              window, agency)
            runtime.tasks.append(asyncio.create_task(drop.watch(interval_s=ingest.poll_interval_s,
                                                                stop=runtime.stop)))
        feeds = registry.of_kind(SourceKind.FEED)
        if feeds:
            runtime.client = client = feed_client(ingest.feeds)
            failing = Gauge("newswire_feed_failures", "Consecutive failed polls of a feed (0 = healthy)", ["source"],
                            registry=wiring.metrics.registry)
            for feed in feeds:
                poller = FeedPoller(feed, client, runtime.store, emit, wiring.dead_letter, ingest.feeds,
                                    report=lambda source, failures: failing.labels(source).set(failures))
                runtime.tasks.append(asyncio.create_task(poller.run(runtime.stop)))

    @app.on_shutdown
    async def stop_inputs() -> None:
        runtime.stop.set()
        if runtime.server is not None:
            await runtime.server.stop()
        for task in runtime.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        runtime.tasks.clear()
        if runtime.client is not None:
            await runtime.client.aclose()
        await engine.dispose()

    return app
