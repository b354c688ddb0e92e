"""Ingest: turn bytes a source handed us into a raw item (pure; ids and time are arguments)."""

from __future__ import annotations

import mimetypes
from datetime import datetime

from services.ingest.formats import AGENCY_TYPES, parse_agency
from shared.contracts import RawItem, Trace
from shared.errors import ErrorCode, PermanentError
from shared.ids import bytes_hash, story_id_for_item
from shared.topics import Stage

SUPPORTED_TYPES = ("text/plain", "text/html", "application/xhtml+xml", *AGENCY_TYPES)
"""Media types ingest accepts: wire text, web pages, and the agency formats it parses on receipt."""


def media_type_of(content_type: str) -> str:
    """The bare media type of a Content-Type header, lower-cased (``text/plain; charset=x`` -> ``text/plain``)."""
    return content_type.split(";", 1)[0].strip().lower()


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
    default_agency: str | None = None,
) -> RawItem:
    """Wrap received bytes in a RawItem keyed by a stable story id.

    The story id comes from the source's GUID or URL when there is one (for agency
    formats, the item's own guid); otherwise from the bytes themselves, and normalize
    re-derives it from the headline. Agency formats are parsed here, so a malformed
    one is refused at the door (MALFORMED_ITEM) instead of failing downstream.
    """
    if not data:
        raise PermanentError("the item is empty", code=ErrorCode.EMPTY_INPUT)
    media_type = media_type_of(content_type)
    if media_type not in SUPPORTED_TYPES:
        raise PermanentError(f"unsupported content type {media_type!r}", code=ErrorCode.UNSUPPORTED_FORMAT)
    document = parse_agency(data, media_type)
    if document is not None and document.agency is None and default_agency:
        document = document.model_copy(update={"agency": default_agency})  # the registry's agency default
    source_item_id = source_item_id or (document.guid if document else None)
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
        agency_document=document,
    )
