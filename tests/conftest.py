"""Fixtures shared by every test layer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.settings import Settings
from tests.support.brokers import test_broker
from tests.support.kafka import unique_settings

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
"""The reference material beside the repository; absent on a user's clone."""


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which broker path the integration tests ran on (or that none ran)."""
    from tests.support.brokers import USED

    for line in USED or ["no integration test ran in this session"]:
        terminalreporter.write_line(f"[newswire tests] {line}")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A real Kafka-protocol broker for the whole session (see tests/support/brokers.py)."""
    with test_broker() as (_kind, bootstrap):
        yield bootstrap


@pytest.fixture
def settings(kafka_bootstrap: str, tmp_path: Path) -> Settings:
    """Settings on the real broker with topic and group names unique to this test."""
    return unique_settings(kafka_bootstrap, tmp_path)


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    """Settings for component tests under TestKafkaBroker (the address is never dialled)."""
    return unique_settings("127.0.0.1:9", tmp_path)
