"""Smoke test of the testcontainers path: Tansu in Docker, produce and consume keyed messages."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from tests.support.tansu_container import docker_problem, tansu_container

_PROBLEM = docker_problem()

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(_PROBLEM is not None, reason=f"testcontainers path unavailable: {_PROBLEM}"),
]

MESSAGES = 10
PARTITIONS = 3


@pytest.fixture
def bootstrap() -> Iterator[str]:
    with tansu_container() as address:
        yield address


async def test_produce_and_consume_keyed_messages(bootstrap: str) -> None:
    topic = f"smoke-{uuid.uuid4().hex}"
    group = f"smoke-group-{uuid.uuid4().hex}"

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    assert len(described[0]["partitions"]) == PARTITIONS

    sent = {f"key-{i}".encode(): f"value-{i}".encode() for i in range(MESSAGES)}
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in sent.items():
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()

    received: dict[bytes, bytes] = {}
    partitions_seen: set[int] = set()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        deadline = time.monotonic() + 30
        while len(received) < MESSAGES and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in batches.items():
                for record in records:
                    assert record.key is not None
                    assert record.value is not None
                    received[record.key] = record.value
                    partitions_seen.add(tp.partition)
    finally:
        await consumer.stop()

    assert received == sent
    assert partitions_seen <= set(range(PARTITIONS))


async def test_context_manager_works_inside_a_running_loop() -> None:
    """Readiness is probed on a private loop, so entering from async code does not deadlock."""
    with tansu_container() as address:
        assert address.startswith("127.0.0.1:")
        assert asyncio.get_running_loop().is_running()
