"""Pick the real broker for integration tests: ``NEWSWIRE_TEST_BROKER=auto|embedded|testcontainers|external``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from shared.embedded import EmbeddedBroker

CHOICES = ("auto", "embedded", "testcontainers", "external")


USED: list[str] = []
"""What each broker fixture of this session ran on; the terminal summary prints it."""


def _say(message: str) -> None:
    USED.append(message)
    print(f"\n[newswire tests] {message}", file=sys.stderr, flush=True)


@contextmanager
def test_broker() -> Iterator[tuple[str, str]]:
    """Yield ``(kind, bootstrap_servers)`` of a running Kafka-protocol broker for this test session."""
    choice = os.environ.get("NEWSWIRE_TEST_BROKER", "auto")
    if choice not in CHOICES:
        raise ValueError(f"NEWSWIRE_TEST_BROKER={choice!r}; expected one of {CHOICES}")
    if choice == "external":
        bootstrap = os.environ["NEWSWIRE_TEST_BOOTSTRAP_SERVERS"]
        _say(f"integration broker: external cluster at {bootstrap}")
        yield "external", bootstrap
        return
    if choice in ("auto", "testcontainers"):
        from tests.support.tansu_container import docker_available, tansu_container

        if docker_available():
            with tansu_container() as bootstrap:
                _say(f"integration broker: testcontainers (Tansu image) at {bootstrap}")
                yield "testcontainers", bootstrap
            return
        if choice == "testcontainers":
            raise RuntimeError("NEWSWIRE_TEST_BROKER=testcontainers but no Docker engine/image is available")
        _say("integration broker: no Docker engine answers; using the embedded broker process")
    with EmbeddedBroker() as broker:
        _say(f"integration broker: embedded Tansu process at {broker.bootstrap_servers}")
        yield "embedded", broker.bootstrap_servers
