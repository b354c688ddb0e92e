"""One failure policy for every stage: bounded retries for transient errors, dead letters for the rest.

It is a FastStream middleware, so handlers stay free of try/except. It sits inside
FastStream's acknowledgement middleware: when it returns normally (output or dead
letter produced and acknowledged by the broker) the input offset is committed; if
even the dead-letter publish fails, the exception escapes and the subscriber's
``NACK_ON_ERROR`` policy rewinds the partition, so nothing is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from faststream import BaseMiddleware
from faststream.message import StreamMessage
from pydantic import ValidationError

from shared.contracts import DeadLetter
from shared.errors import ErrorCode, NewswireError, PermanentError, TransientError
from shared.observability import StageMetrics
from shared.settings import RetrySettings
from shared.topics import Stage

DeadLetterSink = Callable[[DeadLetter], Awaitable[None]]

ATTEMPTS_HEADER = "newswire-attempts"
"""Attempts a message already used up before a redrive; dead letters add them up, so nothing loops unseen."""
REDRIVE_HEADER = "newswire-redrive-of"
"""Id of the dead letter a redriven message came from."""

log = structlog.get_logger()


def classify(exc: BaseException) -> tuple[bool, str]:
    """Return (retryable, error code) for any exception a handler raised."""
    if isinstance(exc, TransientError):
        return True, exc.code
    if isinstance(exc, NewswireError):
        return False, exc.code
    if isinstance(exc, ValidationError | ValueError | UnicodeDecodeError):
        # FastStream decodes the payload into the handler's model before calling it.
        return False, ErrorCode.MALFORMED_MESSAGE
    # A bug or an unknown dependency failure: retry (it may pass), then dead-letter.
    return True, ErrorCode.UNEXPECTED


def _headers(msg: StreamMessage[Any]) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for k, v in msg.headers.items()}


def dead_letter_for(msg: StreamMessage[Any], stage: Stage, exc: BaseException, code: str, attempts: int) -> DeadLetter:
    """Build the dead letter for ``msg``: original bytes, headers, position, code, attempts."""
    record = msg.raw_message
    key = getattr(record, "key", None)
    message = exc.message if isinstance(exc, NewswireError) else f"{type(exc).__name__}: {exc}"
    headers = _headers(msg)
    earlier = int(headers[ATTEMPTS_HEADER]) if headers.get(ATTEMPTS_HEADER, "").isdigit() else 0
    return DeadLetter(
        story_id=key.decode("utf-8", "replace") if isinstance(key, bytes) else key,
        stage=stage,
        error_code=str(code),
        error_message=message[:2000],
        attempts=earlier + attempts,
        redrive_of=headers.get(REDRIVE_HEADER),
        source_topic=getattr(record, "topic", None),
        source_partition=getattr(record, "partition", None),
        source_offset=getattr(record, "offset", None),
        original=msg.body if isinstance(msg.body, bytes) else bytes(msg.body),
        original_headers={k: v for k, v in headers.items() if k not in (ATTEMPTS_HEADER, REDRIVE_HEADER)},
        failed_at=datetime.now(UTC),
    )


class FailurePolicy:
    """Middleware factory: ``KafkaBroker(middlewares=[FailurePolicy(stage, retry, sink)])``."""

    def __init__(
        self, stage: Stage, retry: RetrySettings, sink: DeadLetterSink, metrics: StageMetrics | None = None
    ) -> None:
        """Bind the stage name, retry limits, where dead letters go and the stage's metrics."""
        self.stage = stage
        self.retry = retry
        self.sink = sink
        self.metrics = metrics

    def __call__(self, msg: Any, /, *, context: Any) -> _FailureScope:
        """FastStream calls this once per message."""
        return _FailureScope(msg, context=context, policy=self)


class _FailureScope(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, policy: FailurePolicy) -> None:
        super().__init__(msg, context=context)
        self.policy = policy

    async def consume_scope(self, call_next: Callable[[Any], Awaitable[Any]], msg: StreamMessage[Any]) -> Any:
        policy = self.policy
        if policy.metrics is not None:
            policy.metrics.observe_input(msg.raw_message, getattr(msg, "consumer", None))
            with policy.metrics.handler_seconds.labels(str(policy.stage)).time():
                return await self._handle(call_next, msg)
        return await self._handle(call_next, msg)

    async def _handle(self, call_next: Callable[[Any], Awaitable[Any]], msg: StreamMessage[Any]) -> Any:
        policy = self.policy
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call_next(msg)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                retryable, code = classify(exc)
                if retryable and attempt < policy.retry.max_attempts:
                    delay = min(policy.retry.backoff_initial_s * 2 ** (attempt - 1), policy.retry.backoff_max_s)
                    log.warning("retrying", stage=policy.stage, code=code, attempt=attempt, delay_s=delay,
                                error=repr(exc))
                    await asyncio.sleep(delay)  # bounded backoff; only this partition waits
                    continue
                if retryable and not isinstance(exc, PermanentError):
                    code = code if isinstance(exc, TransientError) else ErrorCode.UNEXPECTED
                letter = dead_letter_for(msg, policy.stage, exc, code, attempt)
                log.error("dead-lettered", stage=policy.stage, code=code, attempts=attempt,
                          story_id=letter.story_id, topic=letter.source_topic, offset=letter.source_offset,
                          error=letter.error_message, exc_info=not isinstance(exc, NewswireError))
                await policy.sink(letter)
                return None
