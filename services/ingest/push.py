"""HTTP push API: ``POST /v1/items`` accepts one item, answers 202 only once the broker has it."""

# No ``from __future__ import annotations``: FastAPI reads these annotations at runtime, and the
# auth dependency is a closure that string annotations could not resolve.
import asyncio
import uuid
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import structlog
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime
from sqlalchemy.exc import SQLAlchemyError

from services.ingest.core import SUPPORTED_TYPES, make_raw_item, media_type_of
from services.ingest.sources import Source, SourceKind, SourcesRegistry
from services.ingest.store import IngestStore, Receipt
from shared.contracts import RawItem
from shared.errors import PermanentError, TransientError
from shared.ids import bytes_hash
from shared.settings import PushApiSettings

log = structlog.get_logger()

Emit = Callable[[RawItem], Awaitable[None]]
"""Publish a raw item; returns once the broker acknowledged it, raises TransientError when it cannot."""


def _error(status: int, reason: str, **extra: Any) -> HTTPException:
    return HTTPException(status_code=status, detail={"reason": reason, **extra})


def create_push_api(
    registry: SourcesRegistry,
    store: IngestStore,
    emit: Emit,
    options: PushApiSettings,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FastAPI:
    """The push API over a registry (who may push), a store (idempotency) and an emitter (the broker)."""
    api = FastAPI(title="Newswire ingest push API", version="1")
    # One lock per (source, bytes): two concurrent pushes of the same item send one message.
    locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = weakref.WeakValueDictionary()
    window = timedelta(seconds=options.idempotency_window_s)

    def authenticate(
        source: Annotated[str | None, Query(description="Source id; defaults to the key's source.")] = None,
        authorization: Annotated[str | None, Header(description="Bearer <API key>.")] = None,
        x_api_key: Annotated[str | None, Header(description="The API key (alternative header).")] = None,
    ) -> Source:
        key = x_api_key or (authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer "
                            else None)
        if not key:
            raise _error(401, "missing API key (Authorization: Bearer <key> or X-API-Key)")
        owner = registry.by_key(key)
        if owner is None:
            raise _error(401, "unknown API key")
        if source is not None and source != owner.id:
            raise _error(403, f"this key may not push for source {source!r}")
        if owner.kind is not SourceKind.PUSH or not owner.enabled:
            raise _error(403, f"source {owner.id!r} is not an enabled push source")
        return owner

    @api.post("/v1/items", status_code=202, summary="Push one item")
    async def push_item(
        request: Request,
        owner: Annotated[Source, Depends(authenticate)],
        source_item_id: Annotated[str | None, Query(min_length=1, max_length=512)] = None,
        url: Annotated[str | None, Query(max_length=2048, pattern=r"^https?://\S+$")] = None,
        urgency: Annotated[int | None, Query(ge=1, le=9)] = None,
        embargo_until: Annotated[AwareDatetime | None, Query()] = None,
    ) -> JSONResponse:
        """Accept raw bytes as one item: 202 once on the raw topic, 200 when already accepted."""
        content_type = request.headers.get("content-type", "")
        if media_type_of(content_type) not in SUPPORTED_TYPES:
            raise _error(415, f"unsupported content type {content_type!r}", supported=list(SUPPORTED_TYPES))
        body = await _read_limited(request, options.max_body_bytes)
        digest = bytes_hash(body)
        lock = locks.setdefault((owner.id, digest), asyncio.Lock())
        async with lock:
            now = clock()
            try:
                seen = await store.find(owner.id, digest, since=now - window)
            except SQLAlchemyError as exc:
                log.error("receipt lookup failed", source=owner.id, error=repr(exc))
                raise _error(503, "idempotency store unavailable; retry later") from exc
            if seen is not None:
                return JSONResponse({"item_id": seen.item_id, "story_id": seen.story_id, "duplicate": True})
            try:
                item = make_raw_item(body, source=owner.id, content_type=content_type, item_id=uuid.uuid4().hex,
                                     now=now, source_item_id=source_item_id, url=url, urgency=urgency,
                                     embargo_until=embargo_until, default_agency=owner.agency)
            except PermanentError as exc:
                raise HTTPException(422, detail=[{"loc": ["body"], "msg": exc.message, "type": exc.code}]) from exc
            try:
                await emit(item)
            except TransientError as exc:
                log.error("push not accepted", source=owner.id, code=exc.code, error=exc.message)
                raise HTTPException(503, detail={"reason": exc.message, "code": exc.code},
                                    headers={"Retry-After": "5"}) from exc
            await store.record(Receipt(owner.id, digest, item.item_id, item.story_id, now))
        log.info("item pushed", source=owner.id, story_id=item.story_id, item_id=item.item_id, bytes=len(body),
                 format=item.agency_document.format if item.agency_document else media_type_of(content_type))
        return JSONResponse({"item_id": item.item_id, "story_id": item.story_id}, status_code=202)

    return api


async def _read_limited(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) as soon as it is known to exceed ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _error(413, f"body of {declared} bytes exceeds the {limit}-byte limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _error(413, f"body exceeds the {limit}-byte limit")
    return bytes(body)
