"""Deterministic ids: story ids stable across re-sends, and content hashes for idempotency."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")  # unit separator: ("ab","c") and ("a","bc") must differ
    return h.hexdigest()


def fold(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form used to compare headlines."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\W+", " ", text).strip().lower()


def story_id_for_item(source: str, source_item_id: str) -> str:
    """Story id from the source's own GUID (or URL): the same item always maps to the same story."""
    return f"{source}:{_digest(source, source_item_id)[:24]}"


def story_id_for_content(source: str, headline: str, date: str) -> str:
    """Story id when the source gives no GUID: source + normalized headline + publication date."""
    return f"{source}:{_digest(source, fold(headline), date)[:24]}"


def bytes_hash(data: bytes) -> str:
    """sha256 of raw bytes, hex."""
    return hashlib.sha256(data).hexdigest()


def content_hash(parts: Iterable[str]) -> str:
    """sha256 over an ordered sequence of text parts (headline, paragraphs...)."""
    return _digest(*parts)
