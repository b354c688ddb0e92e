"""The checked-in AsyncAPI document is what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

from services.asyncapi_doc import build_spec

DOC = Path(__file__).parents[3] / "docs" / "asyncapi.json"


def test_asyncapi_document_is_current() -> None:
    assert DOC.read_text() == build_spec(), "docs/asyncapi.json is stale: run `make docs`"


def test_every_topic_has_a_documented_message() -> None:
    channels = json.loads(DOC.read_text())["channels"]
    addresses = {channel["address"] for channel in channels.values()}
    assert {"newswire.raw", "newswire.normalized", "newswire.enriched", "newswire.published",
            "newswire.dlq"} <= addresses
