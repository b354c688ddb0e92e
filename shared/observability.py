"""Prometheus metrics and health endpoints shared by every stage (``/metrics``, ``/healthz``, ``/readyz``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ReadinessCheck = Callable[[], Awaitable[bool]]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class StageMetrics:
    """The metrics of one stage process, in a registry of its own (tests build many in one process)."""

    def __init__(self, stage: str) -> None:
        """Create the registry and every metric, labelled with the stage."""
        self.stage = stage
        self.registry = CollectorRegistry()
        self.messages_in = Counter("newswire_messages_in", "Messages consumed", ["stage", "topic"],
                                   registry=self.registry)
        self.messages_out = Counter("newswire_messages_out", "Messages produced", ["stage", "topic"],
                                    registry=self.registry)
        self.errors = Counter("newswire_errors", "Messages dead-lettered, by error code", ["stage", "code"],
                              registry=self.registry)
        self.handler_seconds = Histogram("newswire_handler_seconds", "Time to handle one message", ["stage"],
                                         buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.end_to_end_seconds = Histogram(
            "newswire_end_to_end_seconds", "Time from ingest to this stage's output, from the message trace",
            ["stage"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.lag = Gauge("newswire_consumer_lag", "Records behind the high-water mark", ["stage", "topic", "partition"],
                         registry=self.registry)

    def observe_output(self, topic: str, message: Any) -> None:
        """Count a produced message and, if it carries a trace, its end-to-end latency so far."""
        self.messages_out.labels(self.stage, topic).inc()
        trace = getattr(message, "trace", None)
        ingested = getattr(trace, "ingested", None)
        if ingested is not None:
            self.end_to_end_seconds.labels(self.stage).observe((datetime.now(UTC) - ingested).total_seconds())

    def observe_input(self, record: Any, consumer: Any) -> None:
        """Count a consumed record and update its partition's lag from the fetched high-water mark."""
        topic, partition = getattr(record, "topic", "?"), getattr(record, "partition", 0)
        self.messages_in.labels(self.stage, topic).inc()
        highwater = None
        if consumer is not None and hasattr(consumer, "highwater"):
            from aiokafka import TopicPartition

            highwater = consumer.highwater(TopicPartition(topic, partition))
        if highwater is not None:
            self.lag.labels(self.stage, topic, str(partition)).set(max(0, highwater - record.offset - 1))


def ops_app(metrics: StageMetrics, checks: list[ReadinessCheck]) -> Starlette:
    """The stage's ops endpoints: liveness, readiness (every check passes) and Prometheus metrics."""

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "stage": metrics.stage})

    async def readyz(_: Request) -> JSONResponse:
        failing = []
        for check in checks:
            try:
                ok = await check()
            except Exception as exc:  # a failing dependency is reported, not raised
                ok = False
                failing.append(f"{getattr(check, '__name__', 'check')}: {exc!r}")
                continue
            if not ok:
                failing.append(getattr(check, "__name__", "check"))
        status = 200 if not failing else 503
        return JSONResponse({"ready": not failing, "failing": failing}, status_code=status)

    async def metrics_endpoint(_: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz),
                             Route("/metrics", metrics_endpoint)])
