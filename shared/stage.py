"""What every stage's ``create_app`` shares: broker with the failure policy, emitter, metrics, ops endpoints."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from faststream import AckPolicy, FastStream
from faststream.kafka import KafkaBroker

from shared.broker import consumer_options, create_broker, ensure_topics
from shared.codec import JSON_HEADERS, encode
from shared.contracts import DeadLetter
from shared.failure import FailurePolicy
from shared.http_server import HttpServer
from shared.observability import ReadinessCheck, StageMetrics, ops_app
from shared.replay import ReplayFilter
from shared.settings import Settings
from shared.topics import Stage


@dataclass
class StageWiring:
    """A stage's broker plus the topic names, options, metrics and readiness checks its handlers need."""

    stage: Stage
    settings: Settings
    broker: KafkaBroker
    metrics: StageMetrics
    readiness: list[ReadinessCheck] = field(default_factory=list)

    async def emit(self, topic: str, message: Any) -> None:
        """Publish a contract model keyed by its story id; returns once the broker acknowledged it."""
        key = message.story_id.encode() if getattr(message, "story_id", None) else None
        await self.broker.publish(encode(message), topic, key=key, headers=JSON_HEADERS)
        self.metrics.observe_output(topic, message)

    async def dead_letter(self, letter: DeadLetter) -> None:
        """Send a dead letter to the DLQ topic."""
        await self.emit(self.settings.kafka.topics.dlq, letter)
        self.metrics.errors.labels(str(self.stage), letter.error_code).inc()

    def subscriber_options(self) -> dict[str, Any]:
        """Group, ack policy and consumer options of this stage's live subscriber.

        ``NACK_ON_ERROR``: the failure policy turns every handler error into a
        dead letter and returns normally (then the offset is committed); an error
        that still escapes (the DLQ itself unreachable) rewinds the partition so
        the message is redelivered rather than lost.
        """
        group = self.settings.kafka.topics.group_of(self.stage)
        if self.settings.replay is not None:
            # A replay runs under its own group, so live processing is untouched; same name resumes.
            group = f"{group}.replay.{self.settings.replay.name}"
        return {
            "group_id": group,
            "ack_policy": AckPolicy.NACK_ON_ERROR,
            **consumer_options(self.settings.kafka),
        }


def stage_app(wiring: StageWiring) -> FastStream:
    """The FastStream application of a stage: topics declared first, ops endpoints served alongside."""
    app = FastStream(wiring.broker, logger=logging.getLogger("faststream.newswire"))
    ops = wiring.settings.ops
    servers: list[HttpServer] = []

    async def broker_answers() -> bool:
        return await wiring.broker.ping(timeout=2.0)

    wiring.readiness.insert(0, broker_answers)

    @app.on_startup
    async def declare_topics() -> None:
        # Declared, not auto-created: the embedded broker would make 4 partitions of each.
        await ensure_topics(wiring.settings.kafka)

    if ops.port is not None:
        port = ops.port

        @app.after_startup
        async def serve_ops() -> None:
            server = HttpServer(ops_app(wiring.metrics, wiring.readiness), ops.host, port)
            await server.start()
            servers.append(server)
            logging.getLogger("faststream.newswire").info("ops endpoints on %s:%s", ops.host, server.port)

        @app.on_shutdown
        async def stop_ops() -> None:
            for server in servers:
                await server.stop()

    return app


def wire_stage(stage: Stage, settings: Settings) -> StageWiring:
    """Build the broker of ``stage`` with the shared failure policy (and replay window) installed."""
    wiring: StageWiring
    metrics = StageMetrics(str(stage))
    middlewares: list[Any] = []
    if settings.replay is not None:
        middlewares.append(ReplayFilter(settings.replay))
    middlewares.append(FailurePolicy(stage, settings.retry, lambda letter: wiring.dead_letter(letter), metrics))
    broker = create_broker(settings.kafka, middlewares=middlewares)
    wiring = StageWiring(stage=stage, settings=settings, broker=broker, metrics=metrics)
    return wiring
