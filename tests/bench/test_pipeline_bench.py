"""Throughput of one stage hop on the real broker vs a bare aiokafka consume-produce loop (same run)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services.normalize.app import create_app as normalize_app
from shared.broker import ensure_topics
from shared.codec import encode
from tests.support.factories import raw_item
from tests.support.kafka import collect, produce, unique_settings

pytestmark = [pytest.mark.bench, pytest.mark.integration]

N = 400


async def bare_hop(bootstrap: str, source: str, target: str) -> float:
    """Baseline: consume, copy, produce with plain aiokafka (no decoding, no work); messages/s."""
    consumer = AIOKafkaConsumer(source, bootstrap_servers=bootstrap, group_id=f"{source}.bare",
                                auto_offset_reset="earliest", enable_auto_commit=False, fetch_max_wait_ms=20)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await consumer.start()
    await producer.start()
    started, done = time.perf_counter(), 0
    try:
        while done < N:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    await producer.send(target, record.value, key=record.key)
                    done += 1
            await producer.flush()
            await consumer.commit()
    finally:
        await consumer.stop()
        await producer.stop()
    return N / (time.perf_counter() - started)


async def test_normalize_hop_throughput(kafka_bootstrap: str, tmp_path: Path) -> None:
    settings = unique_settings(kafka_bootstrap, tmp_path)
    topics = settings.kafka.topics
    await ensure_topics(settings.kafka)
    items = [raw_item(n, extra=" More detail about the tram line." * 20) for n in range(N)]
    await produce(kafka_bootstrap, topics.raw, [(i.story_id.encode(), encode(i)) for i in items])
    baseline = await bare_hop(kafka_bootstrap, topics.raw, f"{topics.prefix}.bare-out")
    async with normalize_app(settings):
        started = time.perf_counter()
        await collect(kafka_bootstrap, topics.normalized, until=lambda r: len(r) >= N, timeout_s=300)
        elapsed = time.perf_counter() - started
    ours = N / elapsed
    print(f"\nnormalize hop: {ours:.0f} stories/s (per-message handler, decode + normalize + acked produce + commit)")
    print(f"bare aiokafka hop: {baseline:.0f} msg/s (batched, no work)")
    print(f"ratio newswire/bare: {ours / baseline:.2f}")
