"""The push API through an async HTTP client against the real ASGI app (broker replaced by a fake)."""

from __future__ import annotations

from pathlib import Path

import httpx

from services.ingest.sources import SourcesRegistry
from tests.component.ingest.conftest import FEED_KEY, OTHER_KEY, WIRE_KEY, FakeBroker, open_client

DATA = Path(__file__).resolve().parents[2] / "data" / "ingest"
STORY = b"Council approves tram budget\n\nBRUSSELS (AP) - The council approved the budget on Monday.\n"


def auth(key: str = WIRE_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Content-Type": "text/plain; charset=utf-8"}


async def test_accepted_item_is_on_the_broker_before_the_202(client: httpx.AsyncClient, broker: FakeBroker) -> None:
    response = await client.post("/v1/items", content=STORY, headers=auth(),
                                 params={"source": "wire", "urgency": 2, "url": "https://example.org/a",
                                         "embargo_until": "2026-12-01T10:00:00Z"})
    assert response.status_code == 202
    assert [i.item_id for i in broker.items] == [response.json()["item_id"]]
    item = broker.items[0]
    assert (item.source, item.urgency, item.url, item.body) == ("wire", 2, "https://example.org/a", STORY)
    assert item.embargo_until is not None
    assert item.trace.ingested is not None


async def test_agency_xml_is_parsed_on_receipt(client: httpx.AsyncClient, broker: FakeBroker) -> None:
    response = await client.post("/v1/items", content=(DATA / "nitf_embargoed.xml").read_bytes(),
                                 headers={"X-API-Key": WIRE_KEY, "Content-Type": "application/nitf+xml"})
    assert response.status_code == 202
    assert broker.items[0].agency_document is not None
    assert broker.items[0].source_item_id == "TWA-20261127-0005"


async def test_same_bytes_again_answer_200_with_the_original_id_and_send_nothing(
    client: httpx.AsyncClient, broker: FakeBroker
) -> None:
    first = await client.post("/v1/items", content=STORY, headers=auth())
    again = await client.post("/v1/items", content=STORY, headers=auth())
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["item_id"] == first.json()["item_id"]
    assert again.json()["duplicate"] is True
    assert len(broker.items) == 1
    # The same bytes from another source are another item.
    other = await client.post("/v1/items", content=STORY, headers=auth(OTHER_KEY))
    assert other.status_code == 202
    assert len(broker.items) == 2


async def test_idempotency_survives_a_restart(registry: SourcesRegistry, db_url: str) -> None:
    first_broker, second_broker = FakeBroker(), FakeBroker()
    http, store = await open_client(registry, first_broker, db_url)
    async with http:
        first = await http.post("/v1/items", content=STORY, headers=auth())
    await store.engine.dispose()
    http, store = await open_client(registry, second_broker, db_url)  # a new process, same database
    async with http:
        again = await http.post("/v1/items", content=STORY, headers=auth())
    await store.engine.dispose()
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["item_id"] == first.json()["item_id"]
    assert second_broker.items == []


async def test_keys_missing_unknown_or_for_another_source(client: httpx.AsyncClient, broker: FakeBroker) -> None:
    missing = await client.post("/v1/items", content=STORY, headers={"Content-Type": "text/plain"})
    unknown = await client.post("/v1/items", content=STORY, headers=auth("not-a-key"))
    foreign = await client.post("/v1/items", content=STORY, headers=auth(OTHER_KEY), params={"source": "wire"})
    not_push = await client.post("/v1/items", content=STORY, headers=auth(FEED_KEY))
    assert [r.status_code for r in (missing, unknown, foreign, not_push)] == [401, 401, 403, 403]
    assert "missing API key" in missing.json()["detail"]["reason"]
    assert broker.items == []


async def test_oversized_body_is_413_and_unsupported_type_415(client: httpx.AsyncClient, broker: FakeBroker) -> None:
    big = await client.post("/v1/items", content=b"x" * 10_001, headers=auth())
    pdf = await client.post("/v1/items", content=b"%PDF-1.7", headers={**auth(), "Content-Type": "application/pdf"})
    assert (big.status_code, pdf.status_code) == (413, 415)
    assert "text/plain" in pdf.json()["detail"]["supported"]
    assert broker.items == []


async def test_bad_fields_and_bad_bodies_are_422_with_reasons(client: httpx.AsyncClient, broker: FakeBroker) -> None:
    fields = await client.post("/v1/items", content=STORY, headers=auth(),
                               params={"urgency": 12, "embargo_until": "tomorrow-ish"})
    assert fields.status_code == 422
    assert {e["loc"][-1] for e in fields.json()["detail"]} == {"urgency", "embargo_until"}
    naive = await client.post("/v1/items", content=STORY, headers=auth(), params={"embargo_until": "2026-12-01T10:00"})
    assert naive.status_code == 422
    empty = await client.post("/v1/items", content=b"", headers=auth())
    assert (empty.status_code, empty.json()["detail"][0]["type"]) == (422, "empty_input")
    malformed = await client.post("/v1/items", content=(DATA / "bad_ninjs_no_headline.json").read_bytes(),
                                  headers={**auth(), "Content-Type": "application/json"})
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0] == {"loc": ["body"], "msg": "ninjs item has no headline",
                                             "type": "malformed_item"}
    assert broker.items == []
    # Bad input never blocks: the next good item flows.
    assert (await client.post("/v1/items", content=STORY, headers=auth())).status_code == 202


async def test_broker_down_is_503_and_nothing_is_half_accepted(client: httpx.AsyncClient, broker: FakeBroker) -> None:
    broker.down = True
    refused = await client.post("/v1/items", content=STORY, headers=auth())
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert refused.json()["detail"]["code"] == "broker_unavailable"
    broker.down = False
    retried = await client.post("/v1/items", content=STORY, headers=auth())
    assert retried.status_code == 202  # not 200: the refused push left no receipt behind
    assert len(broker.items) == 1
