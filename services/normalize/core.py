"""Normalize: raw item bytes in, one clean story out (pure; no broker, clock or environment)."""

from __future__ import annotations

import re
from datetime import datetime

from shared.contracts import NormalizedStory, RawItem
from shared.errors import ErrorCode, PermanentError
from shared.ids import content_hash, story_id_for_content
from shared.topics import Stage


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (replacement for undecodable bytes)."""
    return data.decode("utf-8", errors="replace")


def normalize(raw: RawItem, *, now: datetime, max_bytes: int) -> NormalizedStory:
    """Turn a raw item into a normalized story, or raise a PermanentError with a code."""
    if not raw.body.strip():
        raise PermanentError("the item is empty", code=ErrorCode.EMPTY_INPUT)
    if len(raw.body) > max_bytes:
        raise PermanentError(f"{len(raw.body)} bytes > limit {max_bytes}", code=ErrorCode.INPUT_TOO_LARGE)
    text = decode(raw.body)
    blocks = [re.sub(r"\s+", " ", b).strip() for b in re.split(r"\n\s*\n", text)]
    blocks = [b for b in blocks if b]
    if len(blocks) < 2:
        raise PermanentError("no headline and body found", code=ErrorCode.NO_ARTICLE)
    headline, paragraphs = blocks[0], tuple(blocks[1:])
    story_id = raw.story_id
    if raw.source_item_id is None and raw.url is None:
        story_id = story_id_for_content(raw.source, headline, raw.received_at.date().isoformat())
    return NormalizedStory(
        story_id=story_id,
        item_id=raw.item_id,
        source=raw.source,
        content_hash=content_hash((headline, *paragraphs)),
        headline=headline,
        body_paragraphs=paragraphs,
        urgency=raw.urgency,
        embargo_until=raw.embargo_until,
        trace=raw.trace.stamped(Stage.NORMALIZE, now),
    )
