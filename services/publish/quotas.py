"""Per-subscriber quotas: a token bucket for requests and a count of open streams (in-process)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class TokenBucket:
    """``capacity`` tokens, refilled continuously at ``per_s``; each request takes one."""

    capacity: float
    per_s: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take a token: 0 when allowed, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_s)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_s


class Quotas:
    """Request rate and stream count limits, each subscriber with its own budget.

    Kept in the publish process's memory: with several publish replicas each
    enforces the limit on its own share of a subscriber's traffic.
    """

    def __init__(self, requests_per_minute: int, max_streams: int) -> None:
        self._rate = requests_per_minute / 60.0
        self._burst = float(requests_per_minute)
        self._max_streams = max_streams
        self._buckets: dict[int, TokenBucket] = {}
        self._streams: dict[int, int] = {}

    def request(self, subscriber_id: int, now: float) -> int:
        """Count one request; 0 when allowed, else the Retry-After seconds (at least 1)."""
        bucket = self._buckets.setdefault(subscriber_id, TokenBucket(self._burst, self._rate, self._burst, now))
        wait = bucket.take(now)
        return 0 if wait == 0 else max(1, math.ceil(wait))

    def open_stream(self, subscriber_id: int) -> bool:
        """Reserve a stream slot; False when the subscriber already holds its maximum."""
        if self._streams.get(subscriber_id, 0) >= self._max_streams:
            return False
        self._streams[subscriber_id] = self._streams.get(subscriber_id, 0) + 1
        return True

    def close_stream(self, subscriber_id: int) -> None:
        """Give a stream slot back."""
        self._streams[subscriber_id] = max(0, self._streams.get(subscriber_id, 0) - 1)
