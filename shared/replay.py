"""The replay window: a middleware that lets a stage process only a range of its input topic."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from faststream import BaseMiddleware
from faststream.message import StreamMessage

from shared.settings import ReplayWindow


def in_window(window: ReplayWindow, partition: int, offset: int, timestamp_ms: int | None) -> bool:
    """True when a record at (partition, offset, timestamp) belongs to the replay."""
    if offset < window.start.get(partition, 0):
        return False
    if partition in window.end and offset >= window.end[partition]:
        return False
    if timestamp_ms is not None and (window.since or window.until):
        at = datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)
        if (window.since and at < window.since) or (window.until and at >= window.until):
            return False
    return True


class ReplayFilter:
    """Middleware factory: records outside the window are acknowledged without being processed."""

    def __init__(self, window: ReplayWindow) -> None:
        """Bind the window."""
        self.window = window

    def __call__(self, msg: Any, /, *, context: Any) -> _ReplayScope:
        """FastStream calls this once per message."""
        return _ReplayScope(msg, context=context, window=self.window)


class _ReplayScope(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, window: ReplayWindow) -> None:
        super().__init__(msg, context=context)
        self.window = window

    async def consume_scope(self, call_next: Callable[[Any], Awaitable[Any]], msg: StreamMessage[Any]) -> Any:
        record = msg.raw_message
        partition, offset = getattr(record, "partition", 0), getattr(record, "offset", 0)
        if not in_window(self.window, partition, offset, getattr(record, "timestamp", None)):
            return None  # skipped, and committed like a processed one so progress is measurable
        return await call_next(msg)
