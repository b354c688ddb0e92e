"""Test helpers over a real broker: unique settings, raw produce, bounded collection from a topic."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from shared.settings import (
    DatabaseSettings,
    IngestSettings,
    KafkaSettings,
    PublishSettings,
    PushApiSettings,
    RetrySettings,
    Settings,
)


def unique_settings(bootstrap: str, tmp_path: Path, **kafka: object) -> Settings:
    """Settings with a topic prefix (and so consumer groups) no other test uses."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    return Settings(
        # A short session makes a new group member join in ~1.5 s instead of ~3 s.
        kafka=KafkaSettings(
            bootstrap_servers=bootstrap,
            topic_prefix=prefix,
            session_timeout_ms=3000,
            heartbeat_interval_ms=500,
            **kafka,  # type: ignore[arg-type]
        ),
        database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'newswire.db'}"),
        # Push API on a free port: tests of several engineers run side by side on one machine.
        ingest=IngestSettings(inbox=tmp_path / "inbox", source="test", poll_interval_s=0.05,
                              push=PushApiSettings(port=0)),
        publish=PublishSettings(http_port=0),
        retry=RetrySettings(max_attempts=2, backoff_initial_s=0.01),
    )


async def produce(bootstrap: str, topic: str, items: list[tuple[bytes | None, bytes]]) -> None:
    """Produce ``(key, value)`` pairs and wait until the broker acknowledged every one."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in items:
            await producer.send_and_wait(topic, value, key=key, headers=[("content-type", b"application/json")])
    finally:
        await producer.stop()


async def collect(
    bootstrap: str,
    topic: str,
    *,
    until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool],
    timeout_s: float = 30.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read ``topic`` from the beginning until ``until(records)`` holds or the deadline passes.

    Partitions are assigned directly (no group), so reading starts at once.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False, fetch_max_wait_ms=20
    )
    await consumer.start()
    partitions = consumer.partitions_for_topic(topic) or set()
    if not partitions:
        await consumer.stop()
        raise AssertionError(f"topic {topic} does not exist")
    consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
    await consumer.seek_to_beginning()
    records: list[ConsumerRecord[bytes, bytes]] = []
    deadline = time.monotonic() + timeout_s
    try:
        while not until(records) and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


async def wait_for(predicate: Callable[[], bool], *, timeout_s: float = 30.0, what: str = "condition") -> None:
    """Poll ``predicate`` until true, failing the test after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        await asyncio.sleep(0.05)
