"""The shared failure policy: bounded retries for transient errors, dead letters after that."""

from __future__ import annotations

from typing import Any

from faststream import AckPolicy
from faststream.kafka import TestKafkaBroker

from shared.contracts import DeadLetter
from shared.errors import ErrorCode, TransientError
from shared.settings import Settings
from shared.stage import wire_stage
from shared.topics import Stage


def build(settings: Settings, failures: int) -> tuple[Any, list[int], Any]:
    wiring = wire_stage(Stage.ENRICH, settings)
    calls: list[int] = []

    @wiring.broker.subscriber("in", group_id="g", ack_policy=AckPolicy.NACK_ON_ERROR)
    async def flaky(body: dict[str, Any]) -> None:
        calls.append(1)
        if len(calls) <= failures:
            raise TransientError("database hiccup", code=ErrorCode.DATABASE_UNAVAILABLE)

    @wiring.broker.subscriber(settings.kafka.topics.dlq)
    async def dlq(body: dict[str, Any]) -> None:
        return None

    return wiring.broker, calls, dlq


async def test_transient_errors_are_retried_until_success(offline_settings: Settings) -> None:
    broker, calls, dlq = build(offline_settings, failures=1)  # max_attempts=2 in test settings
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish({"n": 1}, "in")
        assert len(calls) == 2
        dlq.mock.assert_not_called()


async def test_exhausted_retries_dead_letter_with_attempts_and_code(offline_settings: Settings) -> None:
    broker, calls, dlq = build(offline_settings, failures=99)
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish({"n": 1}, "in")
        assert len(calls) == offline_settings.retry.max_attempts
        letter = DeadLetter.model_validate(dlq.mock.call_args.args[0])
        assert letter.attempts == offline_settings.retry.max_attempts
        assert letter.error_code == ErrorCode.DATABASE_UNAVAILABLE
        assert letter.stage == Stage.ENRICH
        assert letter.original == b'{"n":1}' or letter.original == b'{"n": 1}'
