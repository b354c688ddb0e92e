"""Read a topic from its start up to the high-water mark seen in fetch responses.

``end_offsets``/``seek_to_end`` are wrong on the embedded broker after batched
produce, so the end of a partition is taken from the high-water mark each fetch
response carries instead.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.errors import ErrorCode, TransientError


async def read_topic(
    bootstrap: str, topic: str, *, start: dict[int, int] | None = None, timeout_s: float = 30.0
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Yield every record of ``topic`` (from ``start`` offsets per partition, else the beginning) up to now."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest", fetch_max_wait_ms=50
    )
    await consumer.start()
    try:
        parts = sorted(consumer.partitions_for_topic(topic) or ())
        if not parts:
            raise TransientError(f"topic {topic} does not exist", code=ErrorCode.BROKER_UNAVAILABLE)
        tps = [TopicPartition(topic, p) for p in parts]
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, (start or {}).get(tp.partition, 0))
        pending = set(tps)
        deadline = time.monotonic() + timeout_s
        while pending and time.monotonic() < deadline:
            batch = await consumer.getmany(*pending, timeout_ms=200, max_records=500)
            for records in batch.values():
                for record in records:
                    yield record
            for tp in list(pending):
                high = consumer.highwater(tp)
                if high is not None and await consumer.position(tp) >= high:
                    pending.discard(tp)
        if pending:
            raise TransientError(f"could not read {topic} to its end within {timeout_s} s",
                                 code=ErrorCode.BROKER_UNAVAILABLE)
    finally:
        await consumer.stop()


async def high_watermarks(bootstrap: str, topic: str, *, timeout_s: float = 10.0) -> dict[int, int]:
    """High-water mark of every partition of ``topic``, learned from one fetch each."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        marks: dict[int, int] = {}
        deadline = time.monotonic() + timeout_s
        while len(marks) < len(tps) and time.monotonic() < deadline:
            await consumer.getmany(timeout_ms=100, max_records=1)
            for tp in tps:
                high = consumer.highwater(tp)
                if high is not None:
                    marks[tp.partition] = high
        return marks
    finally:
        await consumer.stop()


async def committed_offsets(
    admin: AIOKafkaAdminClient, group: str, topic: str, partitions: list[int]
) -> dict[int, int]:
    """Offsets ``group`` has committed on ``topic`` (partitions without a commit are left out).

    Partitions are named explicitly: the embedded broker answers the all-partitions form of
    OffsetFetch with a frame aiokafka cannot decode.
    """
    wanted = [TopicPartition(topic, p) for p in partitions]
    offsets = await admin.list_consumer_group_offsets(group, partitions=wanted)
    return {tp.partition: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}
