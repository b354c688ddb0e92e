"""RSS/Atom polling against a local HTTP server the test starts: conditional GET, cursor, backoff, dead letters."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from services.ingest.feed_entries import backoff_s, parse_feed
from services.ingest.feeds import FeedPoller, feed_client
from services.ingest.sources import Source, SourceKind
from services.ingest.store import IngestStore
from shared.contracts import DeadLetter
from shared.db import create_engine
from shared.errors import PermanentError
from shared.settings import DatabaseSettings, FeedPollSettings
from tests.component.ingest.conftest import FakeBroker


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(f"<item><guid>{guid}</guid><title>{title}</title><link>{{base}}/article/{guid}</link>"
                   f"<description>&lt;p&gt;{title} happened today in the harbour.&lt;/p&gt;</description></item>"
                   for guid, title in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>{body}</channel></rss>'.encode()


@dataclass
class FeedServer:
    """What the local server answers, and what it was asked."""

    feed: bytes = b""
    etag: str = '"v1"'
    status: int = 200
    article_type: str = "text/html; charset=utf-8"
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    base: str = ""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("If-None-Match")))
            if self.path.startswith("/article/"):
                body = f"<html><body><h1>Article {self.path}</h1><p>Full text.</p></body></html>".encode()
                self._answer(200, body, state.article_type)
            elif state.status != 200:
                self._answer(state.status, b"server trouble", "text/plain")
            elif self.headers.get("If-None-Match") == state.etag:
                self._answer(304, b"", None)
            else:
                self._answer(200, state.feed.replace(b"{base}", state.base.encode()), "application/rss+xml",
                             etag=state.etag)

        def _answer(self, status: int, body: bytes, content_type: str | None, etag: str | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[IngestStore]:
    store = IngestStore(create_engine(DatabaseSettings(url=f"sqlite:///{tmp_path / 'ingest.db'}")))
    await store.create()
    yield store
    await store.engine.dispose()


@pytest.fixture
def letters() -> list[DeadLetter]:
    return []


@pytest.fixture
async def make_poller(store: IngestStore, server: FeedServer, letters: list[DeadLetter]):  # type: ignore[no-untyped-def]
    options = FeedPollSettings(timeout_s=5, backoff_max_s=60, failing_after=2)
    client = feed_client(options)

    async def sink(letter: DeadLetter) -> None:
        letters.append(letter)

    def build(broker: FakeBroker, **source: object) -> FeedPoller:
        feed = Source(id="wire-rss", kind=SourceKind.FEED, url=f"{server.base}/feed.xml",
                      **{"interval_s": 1.0, **source})  # type: ignore[arg-type]
        return FeedPoller(feed, client, store, broker, sink, options)

    yield build
    await client.aclose()


async def test_new_entries_are_sent_oldest_first_then_conditional_get_sends_nothing(
    server: FeedServer, make_poller  # type: ignore[no-untyped-def]
) -> None:
    server.feed = rss(("g2", "Second story"), ("g1", "First story"))
    broker = FakeBroker()
    poller = make_poller(broker)
    assert await poller.poll_once() == 2
    assert [i.source_item_id for i in broker.items] == ["g1", "g2"]
    assert b"First story happened today" in broker.items[0].body
    assert await poller.poll_once() == 0
    assert server.requests[-1] == ("/feed.xml", '"v1"')  # If-None-Match sent, 304 answered


async def test_seen_cursor_survives_a_restart_and_only_new_entries_flow(
    server: FeedServer, make_poller  # type: ignore[no-untyped-def]
) -> None:
    server.feed = rss(("g1", "First story"))
    await make_poller(FakeBroker()).poll_once()
    server.feed, server.etag = rss(("g2", "Second story"), ("g1", "First story")), '"v2"'
    after_restart = FakeBroker()
    assert await make_poller(after_restart).poll_once() == 1  # a new poller: state comes from the database
    assert [i.source_item_id for i in after_restart.items] == ["g2"]


async def test_linked_article_is_fetched_when_asked_and_bad_pages_are_dead_lettered(
    server: FeedServer, make_poller, letters: list[DeadLetter]  # type: ignore[no-untyped-def]
) -> None:
    server.feed = rss(("g1", "First story"))
    broker = FakeBroker()
    assert await make_poller(broker, fetch_article=True).poll_once() == 1
    assert broker.items[0].body.startswith(b"<html><body><h1>Article /article/g1")
    assert broker.items[0].url == f"{server.base}/article/g1"
    server.feed, server.etag, server.article_type = rss(("g3", "Third"), ("g1", "First story")), '"v3"', "image/png"
    assert await make_poller(broker, fetch_article=True).poll_once() == 0
    assert [(le.error_code, le.original_headers["entry_id"]) for le in letters] == [("unsupported_format", "g3")]
    assert letters[0].original.startswith(b"<html>")


async def test_failing_feed_backs_off_and_is_reported_not_hammered(
    server: FeedServer, make_poller, store: IngestStore  # type: ignore[no-untyped-def]
) -> None:
    server.status = 503
    stop = asyncio.Event()
    poller = make_poller(FakeBroker())
    reports: list[tuple[str, int]] = []
    poller.report = lambda source, failures: reports.append((source, failures))  # what the app turns into a gauge
    task = asyncio.create_task(poller.run(stop))
    deadline = time.monotonic() + 10
    try:
        # Bounded polling of the persisted state (the failure is recorded after the request).
        while (await store.feed_state("wire-rss")).failures < 1:
            assert time.monotonic() < deadline, "the poller never recorded the failure"
            await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
    state = await store.feed_state("wire-rss")
    assert state.failures == 1
    assert state.last_error is not None
    assert "503" in state.last_error
    assert len(server.requests) == 1  # the next try waits interval x 2, not a hot loop
    assert reports == [("wire-rss", 1)]


def test_backoff_doubles_per_failure_up_to_the_ceiling() -> None:
    assert [backoff_s(60, n, 3600) for n in range(8)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_document_that_is_not_a_feed_is_refused() -> None:
    with pytest.raises(PermanentError):
        parse_feed(b"<html><body>Not a feed</body></html>", url="http://x/")


def test_atom_entries_use_their_ids_and_content() -> None:
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            b'<entry><id>urn:a:1</id><title>Atom story</title><updated>2026-11-27T10:00:00Z</updated>'
            b'<content type="html">&lt;p&gt;Body text.&lt;/p&gt;</content></entry></feed>')
    [entry] = parse_feed(atom, url="http://x/")
    assert entry.entry_id == "urn:a:1"
    assert "<p>Body text.</p>" in entry.html
    assert 'content="2026-11-27T10:00:00Z"' in entry.html
