"""Feed documents (RSS/Atom, via feedparser) into entries, and the backoff schedule of failing feeds."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser

from shared.errors import ErrorCode, PermanentError
from shared.ids import bytes_hash


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry: a stable id, where it links, and an HTML rendering of what the feed carries."""

    entry_id: str
    link: str | None
    title: str
    html: str


def _content(entry: Any) -> str:
    contents = entry.get("content") or []
    text = next((c.get("value", "") for c in contents if "html" in c.get("type", "")), "")
    return text or (contents[0].get("value", "") if contents else "") or entry.get("summary", "")


def parse_feed(data: bytes, *, url: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom document, oldest first (feeds list newest first).

    Raises:
        PermanentError: MALFORMED_ITEM when the document is not a feed at all.

    """
    # No content-location: feedparser would rewrite relative GUIDs into URLs; only links are resolved.
    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS or Atom structure"
        raise PermanentError(f"not an RSS/Atom feed: {reason}", code=ErrorCode.MALFORMED_ITEM)
    entries = []
    for entry in parsed.entries:
        title = " ".join(str(entry.get("title", "")).split())
        content = _content(entry)
        # No id and no link: the content itself is the identity (a changed entry counts as new).
        entry_id = entry.get("id") or entry.get("link") or f"sha256:{bytes_hash((title + content).encode())}"
        published = entry.get("published") or entry.get("updated") or ""
        meta = f'<meta property="article:published_time" content="{html.escape(published)}">' if published else ""
        page = (f"<!doctype html><html><head><title>{html.escape(title)}</title>{meta}</head>"
                f"<body><article><h1>{html.escape(title)}</h1>{content}</article></body></html>")
        link = urljoin(url, entry["link"]) if entry.get("link") else None
        entries.append(FeedEntry(entry_id=str(entry_id), link=link, title=title, html=page))
    entries.reverse()
    return entries


def backoff_s(interval_s: float, failures: int, ceiling_s: float) -> float:
    """Wait before the next poll: the interval when healthy, doubling per consecutive failure, capped."""
    if failures <= 0:
        return interval_s
    return float(min(ceiling_s, interval_s * 2 ** min(failures, 20)))
