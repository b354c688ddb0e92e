"""Live streams for subscribers: Server-Sent Events and WebSocket, both resumable from a feed cursor."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from services.publish.archive import FeedItem, dumps
from services.publish.context import ApiContext, HttpError, parse_cursor
from services.publish.feed import page

WS_TRY_AGAIN = 1013
"""WebSocket close code "try again later": too many streams, or too slow to keep up."""
WS_POLICY = 1008
"""WebSocket close code for a missing or wrong key."""


async def sse(ctx: ApiContext, request: Request) -> Response:
    """``GET /v1/stream``: ninjs documents as SSE events, ``id`` = feed cursor, resumable with Last-Event-ID."""
    subscriber = await ctx.authenticate(request.headers.get("authorization"))
    resume = request.headers.get("last-event-id") or request.query_params.get("cursor")
    cursor = parse_cursor(resume, head=await ctx.archive.head())
    if not ctx.quotas.open_stream(subscriber.id):
        raise HttpError(429, "too_many_streams", "close another stream of this subscriber first",
                        {"Retry-After": "5"})

    async def events() -> AsyncIterator[ServerSentEvent]:
        position = cursor
        try:
            while not ctx.shutdown.is_set():
                result = await page(ctx.archive, subscriber, position, limit=ctx.settings.page_size)
                for item in result.items:
                    yield ServerSentEvent(data=dumps(item.ninjs), id=str(item.seq), event=str(item.event.action))
                await ctx.archive.log_deliveries(subscriber.id, result.items, "sse")
                position = result.next_cursor
                if not result.items:
                    await ctx.archive.notifier.wait(ctx.settings.stream_poll_s)
        finally:
            ctx.quotas.close_stream(subscriber.id)

    # A client slower than send_timeout is cut off; it resumes from its Last-Event-ID, so nothing is lost.
    return EventSourceResponse(events(), ping=15, shutdown_event=ctx.shutdown,
                               send_timeout=ctx.settings.stream_send_timeout_s)


def _message(item: FeedItem) -> str:
    document: dict[str, Any] = {"id": str(item.seq), "action": str(item.event.action), "ninjs": item.ninjs}
    return orjson.dumps(document).decode()


async def websocket(ctx: ApiContext, ws: WebSocket) -> None:
    """``/v1/ws``: one JSON message per item (``id``, ``action``, ``ninjs``); resume with ``?cursor=<id>``."""
    key = ws.headers.get("authorization") or (f"Bearer {ws.query_params['key']}" if "key" in ws.query_params else None)
    try:
        subscriber = await ctx.authenticate(key, count=True)
        position = parse_cursor(ws.query_params.get("cursor"), head=await ctx.archive.head())
    except HttpError as exc:
        await ws.close(code=WS_POLICY if exc.status == 401 else WS_TRY_AGAIN, reason=exc.detail[:120])
        return
    if not ctx.quotas.open_stream(subscriber.id):
        await ws.close(code=WS_TRY_AGAIN, reason="too many streams for this subscriber")
        return
    await ws.accept()
    # Reading in the background notices a client that went away while we wait for news.
    gone = asyncio.create_task(_until_disconnect(ws))
    try:
        while not ctx.shutdown.is_set() and not gone.done():
            result = await page(ctx.archive, subscriber, position, limit=ctx.settings.page_size)
            for item in result.items:
                try:
                    await asyncio.wait_for(ws.send_text(_message(item)), ctx.settings.stream_send_timeout_s)
                except TimeoutError:
                    await ws.close(code=WS_TRY_AGAIN, reason=f"too far behind; resume from cursor {position}")
                    return
                position = item.seq
            await ctx.archive.log_deliveries(subscriber.id, result.items, "websocket")
            position = result.next_cursor
            if not result.items:
                await asyncio.wait([gone, asyncio.ensure_future(ctx.archive.notifier.wait(ctx.settings.stream_poll_s))],
                                   return_when=asyncio.FIRST_COMPLETED)
        if not gone.done():
            await ws.close(code=1001, reason=f"server going away; resume from cursor {position}")
    except WebSocketDisconnect:
        pass  # the client left; its cursor is its own to keep
    finally:
        gone.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await gone
        ctx.quotas.close_stream(subscriber.id)


async def _until_disconnect(ws: WebSocket) -> None:
    while (await ws.receive())["type"] != "websocket.disconnect":
        continue  # client messages carry nothing yet
