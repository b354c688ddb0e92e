"""Webhook delivery: one ordered worker per subscriber, signed POSTs, bounded retries, a circuit breaker."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

import httpx
import structlog

from services.publish import webhook_store as store
from services.publish.archive import Archive, FeedItem, dumps
from services.publish.feed import page
from services.publish.subscribers import by_id
from services.publish.webhooks import EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, backoff_s, retryable, sign
from shared.settings import PublishSettings

log = structlog.get_logger()
BATCH = 50


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one delivery ended after its retries."""

    kind: str  # "delivered", "rejected" (a 4xx that retrying cannot fix) or "failed" (retries exhausted)
    http_status: int | None
    attempts: int
    error: str | None = None


class WebhookDispatcher:
    """Delivers each subscriber's feed to its webhook, in feed order, one item at a time."""

    def __init__(self, archive: Archive, settings: PublishSettings, client: httpx.AsyncClient | None = None) -> None:
        self._archive = archive
        self._settings = settings
        self._client = client or httpx.AsyncClient(timeout=settings.webhook_timeout_s)
        self._workers: dict[int, asyncio.Task[None]] = {}

    async def run(self) -> None:
        """Pick up new and resumed webhooks until cancelled."""
        while True:
            try:
                await self._start_workers()
            except Exception:
                # Logged with its traceback and tried again next scan: the cursors are in the archive.
                log.exception("webhook scan failed")
            await asyncio.sleep(self._settings.webhook_scan_s)  # cross-process changes (CLI) are polled

    async def _start_workers(self) -> None:
        for hook in await store.all_webhooks(self._archive):
            worker = self._workers.get(hook.subscriber_id)
            if worker is not None and worker.done() and not worker.cancelled() and worker.exception():
                log.error("webhook worker failed; restarting", subscriber_id=hook.subscriber_id,
                          error=repr(worker.exception()))
            if not hook.suspended and (worker is None or worker.done()):
                self._workers[hook.subscriber_id] = asyncio.create_task(self._drain(hook.subscriber_id))

    async def close(self) -> None:
        """Stop every worker and the HTTP client."""
        for worker in self._workers.values():
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        await self._client.aclose()

    async def _drain(self, subscriber_id: int) -> None:
        subscriber = await by_id(self._archive, subscriber_id)
        while subscriber is not None:
            hook = await store.get(self._archive, subscriber_id)
            if hook is None or hook.suspended:
                return
            result = await page(self._archive, subscriber, hook.cursor, limit=BATCH)
            if not result.items:
                if result.next_cursor != hook.cursor:
                    await store.settled_cursor(self._archive, subscriber_id, result.next_cursor)
                await self._archive.notifier.wait(self._settings.webhook_scan_s)
                continue
            for item in result.items:
                outcome = await self.post(hook, item)
                await store.log_attempt(self._archive, subscriber_id, item, outcome=outcome.kind,
                                        http_status=outcome.http_status, attempts=outcome.attempts,
                                        error=outcome.error)
                if outcome.kind == "failed":
                    await self._trip(subscriber_id, outcome)
                    break  # then the same item again (unless suspended): order is kept
                await store.settled(self._archive, subscriber_id, item, delivered=outcome.kind == "delivered")

    async def _trip(self, subscriber_id: int, outcome: Outcome) -> None:
        hook = await store.get(self._archive, subscriber_id)
        if hook is None:
            return
        failures = hook.failures + 1
        opened = failures >= self._settings.webhook_suspend_after
        reason = f"{failures} deliveries failed in a row; last: {outcome.error}" if opened else None
        await store.failed(self._archive, hook.subscriber_id, failures, suspend_reason=reason)
        if opened:
            log.error("webhook suspended", subscriber_id=hook.subscriber_id, url=hook.url, reason=reason)
            return
        log.warning("webhook delivery failed", subscriber_id=hook.subscriber_id, url=hook.url, error=outcome.error)
        s = self._settings
        await asyncio.sleep(backoff_s(s.webhook_max_attempts + failures, initial_s=s.webhook_backoff_initial_s,
                                      max_s=s.webhook_backoff_max_s))

    async def post(self, hook: store.Webhook, item: FeedItem) -> Outcome:
        """POST one ninjs document, signed, retrying 5xx/408/429/network errors with exponential backoff."""
        body = dumps(item.ninjs).encode()
        s = self._settings
        status: int | None = None
        error: str | None = None
        for attempt in range(1, s.webhook_max_attempts + 1):
            stamp = int(time.time())
            headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: str(stamp),
                       SIGNATURE_HEADER: sign(hook.secret, stamp, body), EVENT_ID_HEADER: str(item.seq),
                       "X-Newswire-Action": str(item.event.action)}
            retry_after = None
            try:
                response = await self._client.post(hook.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if response.is_success:
                    return Outcome("delivered", status, attempt)
                error = f"HTTP {status}"
                if not retryable(status):
                    return Outcome("rejected", status, attempt, error)
                retry_after = response.headers.get("retry-after")
            if attempt < s.webhook_max_attempts:
                await asyncio.sleep(backoff_s(attempt, initial_s=s.webhook_backoff_initial_s,
                                              max_s=s.webhook_backoff_max_s, retry_after=retry_after))
        return Outcome("failed", status, s.webhook_max_attempts, error)
