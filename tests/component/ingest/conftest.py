"""Fixtures for the ingest push API: a registry with keys, a SQLite store, a fake broker emitter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.ingest.push import create_push_api
from services.ingest.sources import Source, SourceKind, SourcesRegistry, hash_key
from services.ingest.store import IngestStore
from shared.contracts import RawItem
from shared.db import create_engine
from shared.errors import ErrorCode, TransientError
from shared.settings import DatabaseSettings, PushApiSettings

WIRE_KEY = "wire-key-0123456789"
OTHER_KEY = "other-key-0123456789"
FEED_KEY = "feed-key-0123456789"


class FakeBroker:
    """Records what was emitted; ``down`` makes it refuse like an unreachable broker."""

    def __init__(self) -> None:
        self.items: list[RawItem] = []
        self.down = False

    async def __call__(self, item: RawItem) -> None:
        if self.down:
            raise TransientError("broker did not acknowledge the item", code=ErrorCode.BROKER_UNAVAILABLE)
        self.items.append(item)


@pytest.fixture
def registry() -> SourcesRegistry:
    return SourcesRegistry(sources=(
        Source(id="wire", kind=SourceKind.PUSH, api_key_sha256=hash_key(WIRE_KEY)),
        Source(id="other", kind=SourceKind.PUSH, api_key_sha256=hash_key(OTHER_KEY)),
        Source(id="feedy", kind=SourceKind.FEED, url="http://example.invalid/rss",
               api_key_sha256=hash_key(FEED_KEY)),
    ))


@pytest.fixture
def broker() -> FakeBroker:
    return FakeBroker()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ingest.db'}"


async def open_client(registry: SourcesRegistry, broker: FakeBroker, db_url: str,
                      **options: object) -> tuple[httpx.AsyncClient, IngestStore]:
    store = IngestStore(create_engine(DatabaseSettings(url=db_url)))
    await store.create()
    api = create_push_api(registry, store, broker, PushApiSettings(**options))  # type: ignore[arg-type]
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://ingest")
    return client, store


@pytest.fixture
async def client(registry: SourcesRegistry, broker: FakeBroker, db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    http, store = await open_client(registry, broker, db_url, max_body_bytes=10_000)
    async with http:
        yield http
    await store.engine.dispose()
