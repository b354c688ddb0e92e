"""Webhooks against a local HTTP receiver: signatures, ordering, retry/backoff, no retry on 4xx, suspension."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import anyio
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.publish import webhook_store as store
from services.publish.archive import Archive
from services.publish.filters import SubscriberFilter
from services.publish.subscribers import add_subscriber
from services.publish.webhook_dispatch import WebhookDispatcher
from services.publish.webhooks import backoff_s, retryable, verify
from shared.http_server import HttpServer
from shared.settings import PublishSettings
from tests.component.publish.test_archive import publish
from tests.support.publishing import rich_story

FAST = PublishSettings(webhook_max_attempts=3, webhook_backoff_initial_s=0.05, webhook_backoff_max_s=0.2,
                       webhook_suspend_after=2, webhook_scan_s=0.05)


@dataclass
class Receiver:
    """A local webhook endpoint answering with scripted status codes (then 200)."""

    script: list[int] = field(default_factory=list)
    calls: list[tuple[float, dict[str, str], bytes, int]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: Request) -> Response:
        status = self.script.pop(0) if self.script else 200
        self.calls.append((time.monotonic(), dict(request.headers), await request.body(), status))
        return Response(status_code=status, headers={"Retry-After": "0"} if status == 429 else None)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rx = Receiver()
    server = HttpServer(Starlette(routes=[Route("/hook", rx.handle, methods=["POST"])]), "127.0.0.1", 0, anyio.Event())
    await server.start()
    rx.url = f"http://127.0.0.1:{server.port}/hook"
    yield rx
    await server.stop()


async def run_until(archive: Archive, done: Callable[[], Awaitable[bool]], timeout_s: float = 10.0) -> None:
    """Run the dispatcher until ``await done()`` holds (bounded polling)."""
    dispatcher = WebhookDispatcher(archive, FAST)
    task = asyncio.create_task(dispatcher.run())
    try:
        deadline = time.monotonic() + timeout_s
        while not await done():
            assert time.monotonic() < deadline, "webhook deliveries did not happen in time"
            await asyncio.sleep(0.02)
    finally:
        task.cancel()
        await dispatcher.close()


async def logged(archive: Archive, subscriber_id: int, count: int) -> bool:
    """True once ``count`` deliveries (with their retries) are settled in the webhook log."""
    return len(await store.log_of(archive, subscriber_id)) >= count


async def subscribe(archive: Archive, url: str) -> tuple[int, str]:
    sub, _key = await add_subscriber(archive, "hooked", entitlements=("*",), subscriber_filter=SubscriberFilter())
    return sub.id, await store.register(archive, "hooked", url, from_start=True)


async def test_signed_posts_arrive_in_feed_order_and_are_logged(archive: Archive, receiver: Receiver) -> None:
    for n in range(3):
        await publish(archive, n)
    sub_id, secret = await subscribe(archive, receiver.url)
    await run_until(archive, lambda: logged(archive, sub_id, 3))
    bodies = [orjson.loads(body) for _, _, body, _ in receiver.calls]
    assert [b["uri"] for b in bodies] == [f"urn:newswire:story:{rich_story(n).story_id}" for n in range(3)]
    _, headers, body, _ = receiver.calls[0]
    assert verify(secret, headers, body, now=int(time.time()))
    # What a receiver in any language computes: HMAC-SHA256(secret, "<timestamp>." + body).
    expected = hmac.new(secret.encode(), headers["x-newswire-timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["x-newswire-signature"] == "sha256=" + expected.hexdigest()
    assert not verify("whsec_wrong", headers, body, now=int(time.time()))
    assert not verify(secret, headers, body + b" ", now=int(time.time()))
    assert not verify(secret, headers, body, now=int(time.time()) + 3600)  # a replay an hour later
    assert [(seq, outcome) for seq, outcome, _, _ in await store.log_of(archive, sub_id)] == [
        (1, "delivered"), (2, "delivered"), (3, "delivered")]


async def test_5xx_and_429_are_retried_with_backoff_other_4xx_are_not(archive: Archive, receiver: Receiver) -> None:
    await publish(archive, 1)
    await publish(archive, 2)
    receiver.script = [503, 429, 200, 400]
    sub_id, _secret = await subscribe(archive, receiver.url)
    await run_until(archive, lambda: logged(archive, sub_id, 2))
    gaps = [b[0] - a[0] for a, b in zip(receiver.calls, receiver.calls[1:3], strict=False)]
    assert gaps[0] >= 0.045  # first retry after the initial delay...
    assert gaps[1] >= 0.095  # ...the second after twice that
    assert [(seq, outcome, status, attempts) for seq, outcome, status, attempts in await store.log_of(archive, sub_id)
            ] == [(1, "delivered", 200, 3), (2, "rejected", 400, 1)]
    assert (await store.get(archive, sub_id)).cursor == 2  # type: ignore[union-attr]


async def test_a_destination_that_keeps_failing_is_suspended_then_resumed(
    archive: Archive, receiver: Receiver
) -> None:
    await publish(archive, 1)
    receiver.script = [500] * 6  # 2 deliveries x 3 attempts
    sub_id, _secret = await subscribe(archive, receiver.url)

    async def suspended() -> bool:
        hook = await store.get(archive, sub_id)
        return hook is not None and hook.suspended

    await run_until(archive, suspended)
    assert len(receiver.calls) == 6
    hook = await store.get(archive, sub_id)
    assert hook is not None
    assert hook.suspended
    assert "2 deliveries failed in a row" in (hook.suspended_reason or "")
    assert hook.cursor == 0  # nothing skipped: the item waits for the destination
    await store.resume(archive, "hooked")
    await run_until(archive, lambda: logged(archive, sub_id, 3))
    assert receiver.calls[-1][3] == 200
    assert (await store.get(archive, sub_id)).cursor == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(("status", "expected"), [(500, True), (503, True), (408, True), (429, True),
                                                  (400, False), (401, False), (404, False), (410, False)])
def test_retry_policy(status: int, expected: bool) -> None:
    assert retryable(status) is expected


def test_backoff_doubles_up_to_its_ceiling_and_honours_retry_after() -> None:
    assert [backoff_s(a, initial_s=0.5, max_s=3) for a in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3, 3]
    assert backoff_s(1, initial_s=0.5, max_s=30, retry_after="7") == 7
