"""A subscriber's view of the feed: entitlement, filter, kills to prior recipients, cursor paging."""

from __future__ import annotations

from dataclasses import dataclass

from services.publish.archive import Archive, FeedItem
from services.publish.filters import entitled, matches, query_matches
from services.publish.subscribers import Subscriber
from shared.contracts import Action

SCAN_BATCH = 500
"""Feed rows read per query while looking for a subscriber's next items."""
TAKE_BACK = (Action.KILL, Action.WITHHOLD)


@dataclass(frozen=True, slots=True)
class Page:
    """Items for one subscriber and the cursor to ask for the next ones."""

    items: list[FeedItem]
    next_cursor: int


async def visible(archive: Archive, subscriber: Subscriber, item: FeedItem, query: str | None = None) -> bool:
    """True when ``item`` goes to ``subscriber``.

    Entitlements are absolute. A kill or withhold also goes to whoever received
    (or was offered, by filter) any earlier version, even when the notice itself
    no longer matches the filter.
    """
    if not entitled(subscriber.entitlements, item.facts):
        return False
    if item.event.action in TAKE_BACK:
        if matches(subscriber.filter, item.facts) or await archive.was_delivered(subscriber.id, item.event.story_id):
            return True
        earlier = await archive.earlier_facts(item.event.story_id, item.seq)
        return any(matches(subscriber.filter, f) and entitled(subscriber.entitlements, f) for f in earlier)
    return matches(subscriber.filter, item.facts) and query_matches(query, item.facts)


async def page(
    archive: Archive, subscriber: Subscriber, cursor: int, *, limit: int, query: str | None = None
) -> Page:
    """The next ``limit`` items after ``cursor``; the cursor advances past everything scanned, shown or not."""
    found: list[FeedItem] = []
    # Rows are parsed as they are read: fetch about a page's worth at a time, not a whole scan batch.
    size = min(SCAN_BATCH, max(limit, 50))
    while len(found) < limit:
        batch = await archive.feed_after(cursor, size)
        for item in batch:
            cursor = item.seq
            if await visible(archive, subscriber, item, query):
                found.append(item)
                if len(found) == limit:
                    break
        if len(batch) < size:
            break
    return Page(found, cursor)
