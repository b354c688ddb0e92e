"""RSS/Atom poller: conditional GET, a persisted seen-entry cursor, backoff, and failing feeds reported."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx
import structlog

from services.ingest.core import make_raw_item
from services.ingest.feed_entries import FeedEntry, backoff_s, parse_feed
from services.ingest.sources import Source
from services.ingest.store import FeedState, IngestStore
from shared.contracts import DeadLetter, RawItem
from shared.errors import PermanentError
from shared.settings import FeedPollSettings
from shared.topics import Stage

log = structlog.get_logger()

Emit = Callable[[RawItem], Awaitable[None]]
DeadLetterSink = Callable[[DeadLetter], Awaitable[None]]


class FeedFetchError(Exception):
    """The feed (or a linked article) could not be fetched: a source failure, retried with backoff."""


@dataclass(frozen=True)
class Fetched:
    """A fetched response: status, headers, body."""

    status: int
    headers: httpx.Headers
    content: bytes


async def fetch(client: httpx.AsyncClient, url: str, *, headers: dict[str, str], max_bytes: int) -> Fetched:
    """GET ``url``, reading at most ``max_bytes`` of body; network errors and 4xx/5xx become FeedFetchError."""
    try:
        async with client.stream("GET", url, headers=headers) as response:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise FeedFetchError(f"{url} is larger than {max_bytes} bytes")
    except httpx.HTTPError as exc:
        raise FeedFetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise FeedFetchError(f"{url} answered HTTP {response.status_code}")
    return Fetched(response.status_code, response.headers, bytes(body))


@dataclass
class FeedPoller:
    """Polls one feed source until stopped."""

    source: Source
    client: httpx.AsyncClient
    store: IngestStore
    emit: Emit
    dead_letter: DeadLetterSink
    options: FeedPollSettings
    report: Callable[[str, int], None] | None = None
    """Called after every poll with (source id, consecutive failures): the app turns it into a metric."""

    async def poll_once(self) -> int:
        """One conditional GET; new entries are emitted oldest first. Returns how many were sent."""
        url = self.source.url or ""
        state = await self.store.feed_state(self.source.id)
        headers = {k: v for k, v in (("If-None-Match", state.etag), ("If-Modified-Since", state.last_modified)) if v}
        response = await fetch(self.client, url, headers=headers, max_bytes=self.options.max_bytes)
        now = datetime.now(UTC)
        if response.status == 304:
            await self.store.save_feed_state(self.source.id, replace(state, failures=0, last_ok_at=now,
                                                                     last_error=None))
            return 0
        try:
            entries = parse_feed(response.content, url=url)
        except PermanentError as exc:
            raise FeedFetchError(exc.message) from exc
        seen = await self.store.seen_entries(self.source.id, [e.entry_id for e in entries])
        sent = 0
        for entry in (e for e in entries if e.entry_id not in seen):
            sent += await self._ingest(entry)
        # Validators are stored only after every new entry is on the broker: a crash means a re-fetch.
        await self.store.save_feed_state(self.source.id, FeedState(
            etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
            failures=0, last_ok_at=now))
        return sent

    async def _ingest(self, entry: FeedEntry) -> int:
        now = datetime.now(UTC)
        data, content_type = entry.html.encode("utf-8"), "text/html; charset=utf-8"
        if self.source.fetch_article and entry.link:
            page = await fetch(self.client, entry.link, headers={}, max_bytes=self.options.max_bytes)
            data, content_type = page.content, page.headers.get("content-type", "text/html")
        try:
            item = make_raw_item(data, source=self.source.id, content_type=content_type, item_id=uuid.uuid4().hex,
                                 now=now, source_item_id=entry.entry_id, url=entry.link,
                                 default_agency=self.source.agency)
        except PermanentError as exc:
            await self.dead_letter(DeadLetter(
                story_id=None, stage=Stage.INGEST, error_code=str(exc.code), error_message=exc.message,
                attempts=1, original=data, original_headers={"source": self.source.id, "entry_id": entry.entry_id,
                                                             "content-type": content_type},
                failed_at=now))
            log.warning("feed entry rejected", source=self.source.id, entry_id=entry.entry_id, code=exc.code)
            await self.store.mark_seen(self.source.id, entry.entry_id, now)
            return 0
        await self.emit(item)
        await self.store.mark_seen(self.source.id, entry.entry_id, now)
        log.info("feed entry ingested", source=self.source.id, story_id=item.story_id, entry_id=entry.entry_id)
        return 1

    async def run(self, stop: asyncio.Event) -> None:
        """Poll at the source's interval; on failure back off exponentially and report a failing feed."""
        while not stop.is_set():
            failures = 0
            try:
                await self.poll_once()
            except FeedFetchError as exc:
                state = await self.store.feed_state(self.source.id)
                failures = state.failures + 1
                await self.store.save_feed_state(self.source.id, replace(state, failures=failures,
                                                                         last_error=str(exc)[:500]))
                failing = failures >= self.options.failing_after
                (log.error if failing else log.warning)(
                    "feed failing" if failing else "feed poll failed", source=self.source.id, failures=failures,
                    error=str(exc))
            if self.report is not None:
                self.report(self.source.id, failures)
            delay = backoff_s(self.source.interval_s, failures, self.options.backoff_max_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)


def feed_client(options: FeedPollSettings) -> httpx.AsyncClient:
    """The HTTP client of the poller: bounded timeouts, a few redirects, an honest User-Agent."""
    return httpx.AsyncClient(timeout=httpx.Timeout(options.timeout_s), follow_redirects=True, max_redirects=5,
                             headers={"User-Agent": options.user_agent}, limits=httpx.Limits(max_connections=4))
