"""The subscriber HTTP API: cursor paging with long-poll, all versions of a story, SSE and WebSocket streams."""

from __future__ import annotations

from functools import partial
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from services.publish import streams
from services.publish.archive import Archive, FeedItem
from services.publish.context import ApiContext, HttpError, parse_cursor
from services.publish.feed import page, visible
from shared.settings import PublishSettings

__all__ = ["HttpError", "create_api", "parse_cursor"]


def _item(item: FeedItem) -> dict[str, Any]:
    event = item.event
    return {"cursor": str(item.seq), "story_id": event.story_id, "version": event.version,
            "action": str(event.action), "ninjs": item.ninjs}


async def items(ctx: ApiContext, request: Request) -> Response:
    """``GET /v1/items?cursor=&q=&limit=&wait=``: the next items and the ``next`` cursor; ``wait`` long-polls."""
    subscriber = await ctx.authenticate(request.headers.get("authorization"))
    params = request.query_params
    cursor = parse_cursor(params.get("cursor"), head=await ctx.archive.head())
    query = params.get("q") or None
    try:
        limit = min(int(params.get("limit", ctx.settings.page_size)), ctx.settings.page_size)
        wait_s = min(float(params.get("wait", 0)), ctx.settings.long_poll_max_s)
    except ValueError as exc:
        raise HttpError(400, "bad_parameter", "limit must be an integer and wait a number of seconds") from exc
    if limit < 1 or wait_s < 0:
        raise HttpError(400, "bad_parameter", "limit must be at least 1 and wait not negative")
    deadline = anyio.current_time() + wait_s
    while True:
        result = await page(ctx.archive, subscriber, cursor, limit=limit, query=query)
        remaining = deadline - anyio.current_time()
        if result.items or remaining <= 0 or ctx.shutdown.is_set():
            break
        cursor = result.next_cursor
        await ctx.archive.notifier.wait(remaining)  # long-poll: woken by the next release
    await ctx.archive.log_deliveries(subscriber.id, result.items, "api")
    return JSONResponse({"items": [_item(i) for i in result.items], "next": str(result.next_cursor)})


async def story(ctx: ApiContext, request: Request) -> Response:
    """``GET /v1/items/{story_id}``: every version of one story this subscriber may see."""
    subscriber = await ctx.authenticate(request.headers.get("authorization"))
    story_id = request.path_params["story_id"]
    shown = [i for i in await ctx.archive.versions_of(story_id) if await visible(ctx.archive, subscriber, i)]
    if not shown:
        raise HttpError(404, "not_found", f"no story {story_id!r} for this subscriber")
    return JSONResponse({"story_id": story_id, "versions": [_item(i) for i in shown]})


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    return JSONResponse({"error": exc.reason, "detail": exc.detail}, status_code=exc.status, headers=exc.headers)


def create_api(archive: Archive, settings: PublishSettings, shutdown: anyio.Event) -> Starlette:
    """The ASGI app served inside the publish service; ``shutdown`` ends live streams."""
    ctx = ApiContext(archive, settings, shutdown)

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "head": await archive.head()})

    routes = [
        Route("/v1/items", partial(items, ctx)),
        Route("/v1/items/{story_id:path}", partial(story, ctx)),
        Route("/v1/stream", partial(streams.sse, ctx)),
        WebSocketRoute("/v1/ws", partial(streams.websocket, ctx)),
        Route("/healthz", health),
    ]
    return Starlette(routes=routes, exception_handlers={HttpError: _http_error})
