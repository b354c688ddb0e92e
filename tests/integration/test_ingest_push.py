"""Push API on a real broker: POST → raw topic → published event; restarts keep idempotency."""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest

from services.enrich.app import create_app as enrich_app
from services.ingest.app import RUNTIME_KEY, IngestRuntime
from services.ingest.app import create_app as ingest_app
from services.ingest.sources import hash_key
from services.normalize.app import create_app as normalize_app
from services.publish.app import create_app as publish_app
from shared.codec import decode
from shared.contracts import RawItem, StoryPublished
from shared.settings import Settings
from tests.support.kafka import collect

pytestmark = pytest.mark.integration

KEY = "integration-key-0123456789"
DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


def with_registry(settings: Settings, tmp_path: Path) -> Settings:
    registry = tmp_path / "sources.toml"
    registry.write_text(f'[[sources]]\nid = "twa"\nkind = "push"\napi_key_sha256 = "{hash_key(KEY)}"\n')
    return settings.model_copy(update={"ingest": settings.ingest.model_copy(update={"sources_file": registry})})


def push_url(app: object) -> str:
    runtime: IngestRuntime = app.context.get(RUNTIME_KEY)  # type: ignore[attr-defined]
    assert runtime.server is not None
    return runtime.server.url


async def test_pushed_agency_item_reaches_raw_and_is_published(settings: Settings, tmp_path: Path) -> None:
    settings = with_registry(settings, tmp_path)
    topics, bootstrap = settings.kafka.topics, settings.kafka.bootstrap_servers or ""
    body = (DATA / "ninjs1_usable.json").read_bytes()
    async with AsyncExitStack() as stack:
        for factory in (publish_app, enrich_app, normalize_app):
            await stack.enter_async_context(factory(settings))
        ingest = await stack.enter_async_context(ingest_app(settings))
        async with httpx.AsyncClient(base_url=push_url(ingest)) as client:
            response = await client.post("/v1/items", content=body, params={"source": "twa", "urgency": 2},
                                         headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
        # 202 came after the broker's ack, so the item is on the raw topic already.
        raw = await collect(bootstrap, topics.raw, until=lambda r: len(r) >= 1, timeout_s=5)
        published = await collect(bootstrap, topics.published, until=lambda r: len(r) >= 1)
    assert response.status_code == 202
    item = decode(RawItem, raw[0].value)
    assert item.item_id == response.json()["item_id"]
    assert item.body == body
    assert item.agency_document is not None
    event = decode(StoryPublished, published[0].value)
    assert event.story_id == item.story_id
    assert event.headline == "Harbour pilots vote to end week-long strike"
    assert event.trace.complete()


async def test_repeat_push_after_an_ingest_restart_sends_no_second_message(settings: Settings, tmp_path: Path) -> None:
    settings = with_registry(settings, tmp_path)
    headers = {"X-API-Key": KEY, "Content-Type": "text/plain"}
    body = b"Ferry timetable restored\n\nDOVER (TWA) - Ferries ran normally again on Saturday.\n"
    statuses, ids = [], []
    for _ in range(2):  # two lifetimes of the ingest service, one database
        async with ingest_app(settings) as ingest, httpx.AsyncClient(base_url=push_url(ingest)) as client:
            response = await client.post("/v1/items", content=body, headers=headers)
            statuses.append(response.status_code)
            ids.append(response.json()["item_id"])
    raw = await collect(settings.kafka.bootstrap_servers or "", settings.kafka.topics.raw,
                        until=lambda r: len(r) >= 2, timeout_s=2)
    assert statuses == [202, 200]
    assert ids[0] == ids[1]
    assert len(raw) == 1


async def test_broker_gone_means_503_and_no_receipt(tmp_path: Path) -> None:
    from shared.embedded import EmbeddedBroker
    from tests.support.kafka import unique_settings

    with EmbeddedBroker() as own:  # a broker of this test's own, so it can be stopped
        settings = unique_settings(own.bootstrap_servers, tmp_path)
        settings = with_registry(settings, tmp_path)
        settings = settings.model_copy(update={"ingest": settings.ingest.model_copy(update={
            "push": settings.ingest.push.model_copy(update={"publish_timeout_s": 2.0})})})
        async with ingest_app(settings) as ingest, httpx.AsyncClient(base_url=push_url(ingest), timeout=20) as client:
            own.stop()
            response = await client.post("/v1/items", content=b"Headline\n\nBody text of a story.\n",
                                         headers={"X-API-Key": KEY, "Content-Type": "text/plain"})
            runtime: IngestRuntime = ingest.context.get(RUNTIME_KEY)
            last_seen = await runtime.store.last_seen()
    assert response.status_code == 503
    assert response.json()["detail"]["code"] == "broker_unavailable"
    assert last_seen == {}  # nothing half-accepted: a retry will be a fresh 202, not a 200
