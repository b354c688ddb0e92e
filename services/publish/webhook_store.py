"""Webhook registrations, their delivery cursor and circuit-breaker state, and the delivery log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update

from services.publish.archive import Archive, FeedItem
from services.publish.tables import subscribers, webhook_log, webhooks
from services.publish.webhooks import new_secret
from shared.errors import ErrorCode, PermanentError


@dataclass(frozen=True, slots=True)
class Webhook:
    """One subscriber's webhook as the dispatcher sees it."""

    subscriber_id: int
    url: str
    secret: str
    cursor: int
    failures: int
    suspended: bool
    suspended_reason: str | None


def _now() -> float:
    return datetime.now(UTC).timestamp()


async def register(archive: Archive, name: str, url: str, *, from_start: bool = False) -> str:
    """Point subscriber ``name``'s webhook at ``url``; returns the new signing secret (shown once).

    Delivery starts with the next released version, or with the whole feed when ``from_start``.
    """
    if not url.startswith(("http://", "https://")):
        raise PermanentError(f"webhook URL must be http(s), got {url!r}", code=ErrorCode.MALFORMED_MESSAGE)
    secret = new_secret()
    cursor = 0 if from_start else await archive.head()
    async with archive.engine.begin() as conn:
        sub_id = (await conn.execute(select(subscribers.c.id).where(subscribers.c.name == name))).scalar()
        if sub_id is None:
            raise PermanentError(f"no subscriber {name!r}", code=ErrorCode.MALFORMED_MESSAGE)
        await conn.execute(delete(webhooks).where(webhooks.c.subscriber_id == sub_id))
        await conn.execute(insert(webhooks).values(
            subscriber_id=sub_id, url=url, secret=secret, cursor=cursor, failures=0, suspended=False,
            suspended_reason=None, updated_at=_now()))
    return secret


async def all_webhooks(archive: Archive) -> list[Webhook]:
    """Every registered webhook, suspended ones included."""
    async with archive.engine.connect() as conn:
        rows = (await conn.execute(select(webhooks).order_by(webhooks.c.subscriber_id))).all()
    return [Webhook(int(r.subscriber_id), r.url, r.secret, int(r.cursor), r.failures, r.suspended,
                    r.suspended_reason) for r in rows]


async def get(archive: Archive, subscriber_id: int) -> Webhook | None:
    """The webhook of one subscriber, if any."""
    return next((w for w in await all_webhooks(archive) if w.subscriber_id == subscriber_id), None)


async def _set(archive: Archive, subscriber_id: int, **values: object) -> None:
    async with archive.engine.begin() as conn:
        await conn.execute(update(webhooks).where(webhooks.c.subscriber_id == subscriber_id)
                           .values(updated_at=_now(), **values))


async def settled(archive: Archive, subscriber_id: int, item: FeedItem, *, delivered: bool) -> None:
    """An item is done with (delivered, or refused by the receiver): move the cursor past it."""
    await _set(archive, subscriber_id, cursor=item.seq, **({"failures": 0} if delivered else {}))
    if delivered:
        await archive.log_deliveries(subscriber_id, [item], "webhook")


async def failed(archive: Archive, subscriber_id: int, failures: int, *, suspend_reason: str | None) -> None:
    """Retries were exhausted: count it, and suspend the webhook when the breaker opens."""
    await _set(archive, subscriber_id, failures=failures, suspended=suspend_reason is not None,
               suspended_reason=suspend_reason)


async def resume(archive: Archive, name: str) -> None:
    """Close the breaker of subscriber ``name``'s webhook; delivery resumes where it stopped."""
    async with archive.engine.begin() as conn:
        sub_id = (await conn.execute(select(subscribers.c.id).where(subscribers.c.name == name))).scalar()
        done = await conn.execute(update(webhooks).where(webhooks.c.subscriber_id == sub_id)
                                  .values(suspended=False, suspended_reason=None, failures=0, updated_at=_now()))
    if not done.rowcount:
        raise PermanentError(f"subscriber {name!r} has no webhook", code=ErrorCode.MALFORMED_MESSAGE)


async def log_attempt(
    archive: Archive, subscriber_id: int, item: FeedItem, *, outcome: str, http_status: int | None,
    attempts: int, error: str | None,
) -> None:
    """Record the outcome of one delivery (after its retries)."""
    async with archive.engine.begin() as conn:
        await conn.execute(insert(webhook_log).values(
            subscriber_id=subscriber_id, seq=item.seq, story_id=item.event.story_id, version=item.event.version,
            outcome=outcome, http_status=http_status, attempts=attempts, error=error, at=_now()))


async def log_of(archive: Archive, subscriber_id: int) -> list[tuple[int, str, int | None, int]]:
    """``(seq, outcome, http_status, attempts)`` of a subscriber's webhook deliveries, oldest first."""
    query = (select(webhook_log.c.seq, webhook_log.c.outcome, webhook_log.c.http_status, webhook_log.c.attempts)
             .where(webhook_log.c.subscriber_id == subscriber_id).order_by(webhook_log.c.id))
    async with archive.engine.connect() as conn:
        return [(int(r.seq), r.outcome, r.http_status, r.attempts) for r in (await conn.execute(query)).all()]


async def settled_cursor(archive: Archive, subscriber_id: int, cursor: int) -> None:
    """Move the cursor past feed rows this subscriber does not receive."""
    await _set(archive, subscriber_id, cursor=cursor)
