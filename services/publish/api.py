"""The subscriber HTTP API: cursor paging, all versions of a story, and the SSE live stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.publish.archive import Archive, FeedItem, dumps
from services.publish.feed import page, visible
from services.publish.subscribers import Subscriber, by_key
from shared.settings import PublishSettings


class HttpError(Exception):
    """A typed client error: status code, machine-readable reason, human detail."""

    def __init__(self, status: int, reason: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.reason, self.detail, self.headers = status, reason, detail, headers or {}


def _item(item: FeedItem) -> dict[str, Any]:
    event = item.event
    return {"cursor": str(item.seq), "story_id": event.story_id, "version": event.version,
            "action": str(event.action), "ninjs": item.ninjs}


def parse_cursor(value: str | None, *, head: int) -> int:
    """A cursor or Last-Event-ID as a feed position: absent → the start, ``now`` → the head."""
    if value is None or value == "":
        return 0
    if value == "now":
        return head
    if not value.isdigit():
        raise HttpError(400, "bad_cursor", f"cursor must be a number from a previous response, got {value!r}")
    return int(value)


def create_api(archive: Archive, settings: PublishSettings, shutdown: anyio.Event) -> Starlette:
    """The ASGI app served inside the publish service; ``shutdown`` ends live streams."""

    async def subscriber_of(request: Request) -> Subscriber:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        subscriber = await by_key(archive, key.strip()) if scheme.lower() == "bearer" and key.strip() else None
        if subscriber is None:
            raise HttpError(401, "unauthorized", "send 'Authorization: Bearer <API key>'",
                            {"WWW-Authenticate": 'Bearer realm="newswire"'})
        return subscriber

    async def items(request: Request) -> Response:
        subscriber = await subscriber_of(request)
        params = request.query_params
        cursor = parse_cursor(params.get("cursor"), head=await archive.head())
        query = params.get("q") or None
        try:
            limit = min(int(params.get("limit", settings.page_size)), settings.page_size)
            wait_s = min(float(params.get("wait", 0)), settings.long_poll_max_s)
        except ValueError as exc:
            raise HttpError(400, "bad_parameter", "limit must be an integer and wait a number of seconds") from exc
        if limit < 1 or wait_s < 0:
            raise HttpError(400, "bad_parameter", "limit must be at least 1 and wait not negative")
        deadline = anyio.current_time() + wait_s
        while True:
            result = await page(archive, subscriber, cursor, limit=limit, query=query)
            remaining = deadline - anyio.current_time()
            if result.items or remaining <= 0 or shutdown.is_set():
                break
            cursor = result.next_cursor
            await archive.notifier.wait(remaining)  # long-poll: woken by the next release
        await archive.log_deliveries(subscriber.id, result.items, "api")
        return JSONResponse({"items": [_item(i) for i in result.items], "next": str(result.next_cursor)})

    async def story(request: Request) -> Response:
        subscriber = await subscriber_of(request)
        story_id = request.path_params["story_id"]
        shown = [i for i in await archive.versions_of(story_id) if await visible(archive, subscriber, i)]
        if not shown:
            raise HttpError(404, "not_found", f"no story {story_id!r} for this subscriber")
        return JSONResponse({"story_id": story_id, "versions": [_item(i) for i in shown]})

    async def stream(request: Request) -> Response:
        subscriber = await subscriber_of(request)
        resume = request.headers.get("last-event-id") or request.query_params.get("cursor")
        cursor = parse_cursor(resume, head=await archive.head())

        async def events() -> AsyncIterator[ServerSentEvent]:
            position = cursor
            while not shutdown.is_set():
                result = await page(archive, subscriber, position, limit=settings.page_size)
                for item in result.items:
                    yield ServerSentEvent(data=dumps(item.ninjs), id=str(item.seq), event=str(item.event.action))
                await archive.log_deliveries(subscriber.id, result.items, "sse")
                position = result.next_cursor
                if not result.items:
                    await archive.notifier.wait(settings.stream_poll_s)

        return EventSourceResponse(events(), ping=15, shutdown_event=shutdown)

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "head": await archive.head()})

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HttpError)
        return JSONResponse({"error": exc.reason, "detail": exc.detail}, status_code=exc.status, headers=exc.headers)

    routes = [
        Route("/v1/items", items),
        Route("/v1/items/{story_id:path}", story),
        Route("/v1/stream", stream),
        Route("/healthz", health),
    ]
    return Starlette(routes=routes, exception_handlers={HttpError: http_error})
