"""Ingest: turn bytes a source handed us into a raw item (pure; ids and time are arguments)."""

from __future__ import annotations

import mimetypes
from datetime import datetime

from shared.contracts import RawItem, Trace
from shared.errors import ErrorCode, PermanentError
from shared.ids import bytes_hash, story_id_for_item
from shared.topics import Stage

SUPPORTED_TYPES = ("text/plain", "text/html", "application/xhtml+xml")


def content_type_for(filename: str) -> str:
    """Guess a file's content type from its name; wire copy without an extension is plain text."""
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "text/plain"


def make_raw_item(
    data: bytes,
    *,
    source: str,
    content_type: str,
    item_id: str,
    now: datetime,
    source_item_id: str | None = None,
    url: str | None = None,
    urgency: int | None = None,
    embargo_until: datetime | None = None,
) -> RawItem:
    """Wrap received bytes in a RawItem keyed by a stable story id.

    The story id comes from the source's GUID or URL when there is one; otherwise
    from the bytes themselves, and normalize re-derives it from the headline.
    """
    if not data:
        raise PermanentError("the item is empty", code=ErrorCode.EMPTY_INPUT)
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in SUPPORTED_TYPES:
        raise PermanentError(f"unsupported content type {media_type!r}", code=ErrorCode.UNSUPPORTED_FORMAT)
    identity = source_item_id or url or f"sha256:{bytes_hash(data)}"
    return RawItem(
        story_id=story_id_for_item(source, identity),
        item_id=item_id,
        source=source,
        source_item_id=source_item_id,
        url=url,
        content_type=content_type,
        body=data,
        received_at=now,
        urgency=urgency,
        embargo_until=embargo_until,
        trace=Trace().stamped(Stage.INGEST, now),
    )
