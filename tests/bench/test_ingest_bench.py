"""Ingest speed, printed not asserted: agency parsers per format, and push API round trips (fake broker)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from services.ingest.formats import parse_agency
from services.ingest.push import create_push_api
from services.ingest.sources import Source, SourceKind, SourcesRegistry, hash_key
from services.ingest.store import IngestStore
from shared.contracts import RawItem
from shared.db import create_engine
from shared.settings import DatabaseSettings, PushApiSettings

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
FIXTURES = {"ninjs2_correction.json": "application/json", "newsml_g2_item.xml": "application/xml",
            "nitf_embargoed.xml": "application/xml", "anpa1312_writethru.txt": "text/plain"}


@pytest.mark.bench
def test_agency_parser_throughput() -> None:
    for name, media_type in FIXTURES.items():
        data = (DATA / name).read_bytes()
        runs = 2000
        start = time.perf_counter()
        for _ in range(runs):
            parse_agency(data, media_type)
        per_item_us = (time.perf_counter() - start) / runs * 1e6
        print(f"\nparse {name}: {per_item_us:.0f} µs/item, {1e6 / per_item_us:.0f} items/s")


@pytest.mark.bench
async def test_push_api_round_trips(tmp_path: Path) -> None:
    sent: list[RawItem] = []

    async def emit(item: RawItem) -> None:
        sent.append(item)

    store = IngestStore(create_engine(DatabaseSettings(url=f"sqlite:///{tmp_path / 'b.db'}")))
    await store.create()
    registry = SourcesRegistry(sources=(Source(id="b", kind=SourceKind.PUSH, api_key_sha256=hash_key("k")),))
    api = create_push_api(registry, store, emit, PushApiSettings())
    headers = {"X-API-Key": "k", "Content-Type": "text/plain"}
    runs = 300
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://b") as client:
        start = time.perf_counter()
        for n in range(runs):
            await client.post("/v1/items", content=f"Headline {n}\n\nBody of story {n}.\n".encode(), headers=headers)
        fresh = time.perf_counter() - start
        start = time.perf_counter()
        for n in range(runs):
            await client.post("/v1/items", content=f"Headline {n}\n\nBody of story {n}.\n".encode(), headers=headers)
        repeats = time.perf_counter() - start
    await store.engine.dispose()
    print(f"\npush (fake broker, SQLite receipts): new {runs / fresh:.0f} req/s, "
          f"{fresh / runs * 1000:.2f} ms each; repeats {runs / repeats:.0f} req/s")
    assert len(sent) == runs
