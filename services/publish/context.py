"""What every subscriber API endpoint shares: the archive, settings, quotas, authentication, typed errors."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import anyio

from services.publish.archive import Archive
from services.publish.quotas import Quotas
from services.publish.subscribers import Subscriber, by_key
from shared.settings import PublishSettings


class HttpError(Exception):
    """A typed client error: status code, machine-readable reason, human detail."""

    def __init__(self, status: int, reason: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.reason, self.detail, self.headers = status, reason, detail, headers or {}


def parse_cursor(value: str | None, *, head: int) -> int:
    """A cursor or Last-Event-ID as a feed position: absent → the start, ``now`` → the head."""
    if value is None or value == "":
        return 0
    if value == "now":
        return head
    if not value.isdigit():
        raise HttpError(400, "bad_cursor", f"cursor must be a number from a previous response, got {value!r}")
    return int(value)


@dataclass
class ApiContext:
    """The publish service's state as the HTTP endpoints see it."""

    archive: Archive
    settings: PublishSettings
    shutdown: anyio.Event
    quotas: Quotas = field(init=False)

    def __post_init__(self) -> None:
        self.quotas = Quotas(self.settings.requests_per_minute, self.settings.max_streams)

    async def authenticate(self, authorization: str | None, *, count: bool = True) -> Subscriber:
        """The subscriber of a ``Bearer`` key, its request counted against its quota; else 401 or 429."""
        scheme, _, key = (authorization or "").partition(" ")
        subscriber = await by_key(self.archive, key.strip()) if scheme.lower() == "bearer" and key.strip() else None
        if subscriber is None:
            raise HttpError(401, "unauthorized", "send 'Authorization: Bearer <API key>'",
                            {"WWW-Authenticate": 'Bearer realm="newswire"'})
        if count and (retry_after := self.quotas.request(subscriber.id, time.monotonic())):
            raise HttpError(429, "rate_limited", f"over {self.settings.requests_per_minute} requests a minute",
                            {"Retry-After": str(retry_after)})
        return subscriber
