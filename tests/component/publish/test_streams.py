"""Live streams over a real HTTP server: SSE and WebSocket resume, stream and request quotas."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import orjson
import pytest
import websockets

from services.publish.api import create_api
from services.publish.archive import Archive
from services.publish.filters import SubscriberFilter
from services.publish.quotas import Quotas, TokenBucket
from services.publish.subscribers import add_subscriber
from shared.http_server import HttpServer
from shared.settings import PublishSettings
from tests.component.publish.test_archive import publish
from tests.support.publishing import read_sse, rich_story

LIMITS = PublishSettings(max_streams=1, requests_per_minute=4, stream_poll_s=0.1)


@pytest.fixture
async def base(archive: Archive) -> AsyncIterator[str]:
    """The subscriber API of ``archive`` served on a free port."""
    server = HttpServer(create_api(archive, LIMITS, anyio.Event()), "127.0.0.1", 0, anyio.Event())
    await server.start()
    yield f"127.0.0.1:{server.port}"
    await server.stop()


async def bearer(archive: Archive, name: str = "desk") -> dict[str, str]:
    _sub, key = await add_subscriber(archive, name, entitlements=("*",), subscriber_filter=SubscriberFilter())
    return {"Authorization": f"Bearer {key}"}


async def test_sse_resumes_from_last_event_id(archive: Archive, base: str) -> None:
    for n in range(4):
        await publish(archive, n)
    headers = await bearer(archive)
    first = await read_sse(f"http://{base}/v1/stream", headers, count=2, timeout_s=10)
    rest = await read_sse(f"http://{base}/v1/stream", {**headers, "Last-Event-ID": first[-1][0]}, count=2,
                          timeout_s=10)
    assert [e[0] for e in first + rest] == ["1", "2", "3", "4"]
    assert [e[2]["uri"].removeprefix(LIMITS.uri_base) for e in first + rest] == [
        rich_story(n).story_id for n in range(4)]


async def connect_when_free(url: str, headers: dict[str, str], timeout_s: float = 10.0) -> Any:
    """Connect, retrying while the server still counts our previous stream (max_streams=1 here).

    The server frees a stream slot when it notices the disconnect, a moment after the
    client closed; a real client reconnecting at once sees the same "try again later".
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return await websockets.connect(url, additional_headers=headers)
        except websockets.exceptions.InvalidStatus:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)  # bounded retry, not a wait for an assertion


async def test_websocket_delivers_in_order_and_resumes_from_cursor(archive: Archive, base: str) -> None:
    for n in range(3):
        await publish(archive, n)
    headers = await bearer(archive)
    async with websockets.connect(f"ws://{base}/v1/ws", additional_headers=headers) as ws:
        got = [orjson.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(2)]
    assert [(m["id"], m["action"]) for m in got] == [("1", "publish"), ("2", "publish")]
    async with await connect_when_free(f"ws://{base}/v1/ws?cursor=2", headers) as ws:
        first = orjson.loads(await asyncio.wait_for(ws.recv(), 10))
        await publish(archive, 7)  # released while connected: pushed at once
        live = orjson.loads(await asyncio.wait_for(ws.recv(), 10))
    assert (first["id"], live["id"]) == ("3", "4")
    assert live["ninjs"]["uri"].endswith(rich_story(7).story_id)


async def test_websocket_without_a_valid_key_is_refused(archive: Archive, base: str) -> None:
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"ws://{base}/v1/ws?key=nwk_wrong"):
            pass


async def test_one_stream_too_many_is_429_with_retry_after(archive: Archive, base: str) -> None:
    await publish(archive, 1)
    headers = await bearer(archive)
    async with httpx.AsyncClient(timeout=10) as client, \
            client.stream("GET", f"http://{base}/v1/stream", headers=headers) as open_stream:
        assert open_stream.status_code == 200
        second = await client.get(f"http://{base}/v1/stream", headers=headers)
        assert second.status_code == 429
        assert second.json()["error"] == "too_many_streams"
        assert int(second.headers["retry-after"]) > 0
        other = await client.get(f"http://{base}/v1/items", headers=await bearer(archive, "other"))
        assert other.status_code == 200  # quotas are per subscriber


async def test_requests_over_the_rate_are_429_with_retry_after(archive: Archive, base: str) -> None:
    headers = await bearer(archive)
    async with httpx.AsyncClient(timeout=10) as client:
        statuses = [(await client.get(f"http://{base}/v1/items", headers=headers)).status_code for _ in range(5)]
        over = await client.get(f"http://{base}/v1/items", headers=headers)
    assert statuses == [200, 200, 200, 200, 429]
    assert over.json()["error"] == "rate_limited"
    assert int(over.headers["retry-after"]) >= 1


def test_token_bucket_refills_over_time() -> None:
    bucket = TokenBucket(capacity=2, per_s=1.0, tokens=2, updated=0.0)
    assert [bucket.take(0.0), bucket.take(0.0)] == [0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(1.0)
    assert bucket.take(1.0) == 0.0
    quotas = Quotas(requests_per_minute=60, max_streams=1)
    assert quotas.open_stream(1)
    assert not quotas.open_stream(1)
    quotas.close_stream(1)
    assert quotas.open_stream(1)
