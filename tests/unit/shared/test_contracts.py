"""Contract models round-trip through JSON; golden files pin the wire format."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.codec import decode, encode
from shared.contracts import (
    Action,
    Dateline,
    DeadLetter,
    EnrichedStory,
    NormalizedStory,
    RawItem,
    StoryPublished,
    Trace,
)
from shared.errors import ErrorCode, PermanentError
from shared.topics import Stage
from tests.support.factories import NOW, enriched_story, raw_item

GOLDEN = Path(__file__).parents[2] / "data" / "messages"


def golden_messages() -> dict[str, tuple[type, object]]:
    letter = DeadLetter(
        story_id="s1", stage=Stage.ENRICH, error_code=ErrorCode.EMPTY_BODY, error_message="no words",
        attempts=1, source_topic="newswire.normalized", source_partition=2, source_offset=41,
        original=b"\x00\xffnot json", original_headers={"content-type": "application/json"}, failed_at=NOW,
    )
    # Built field by field (not by the cores) so that improving a stage never rewrites the golden files.
    trace = Trace(ingested=NOW, normalized=NOW, enriched=NOW, published=NOW)
    story = NormalizedStory(
        story_id="test:abc", item_id="item-1", source="test", content_hash="c0ffee", headline="Tram line approved",
        body_paragraphs=("TAMPERE, Finland (NWS) — The council approved it.", "Work starts in spring."),
        byline=("Aino Virtanen",), agency="NWS", dateline=Dateline(city="TAMPERE", agency="NWS"),
        published_at=NOW, fixes=("ftfy",), trace=trace,
    )
    published = StoryPublished(
        story_id="test:abc", version=2, action=Action.UPDATE, content_hash="c0ffee",
        headline="Tram line approved", source="test", language="en", word_count=11, trace=trace,
    )
    return {
        "raw_item.json": (RawItem, RawItem(
            story_id="test:abc", item_id="item-1", source="test", source_item_id="guid-1",
            content_type="text/plain; charset=utf-8", body="Tram line approved\n\nTAMPERE — …".encode(),
            received_at=NOW, urgency=3, trace=Trace(ingested=NOW),
        )),
        "normalized_story.json": (NormalizedStory, story),
        "dead_letter.json": (DeadLetter, letter),
        "story_published.json": (StoryPublished, published),
    }


@pytest.mark.parametrize("name", sorted(golden_messages()))
def test_golden_message_files_round_trip(name: str) -> None:
    model, message = golden_messages()[name]
    path = GOLDEN / name
    if os.environ.get("NEWSWIRE_REGENERATE_GOLDEN"):
        path.write_text(json.dumps(json.loads(encode(message)), indent=2, sort_keys=True) + "\n")  # type: ignore[arg-type]
    golden = path.read_bytes()
    assert decode(model, golden) == message
    assert json.loads(encode(message)) == json.loads(golden)  # type: ignore[arg-type]


def test_original_bytes_survive_json_as_base64() -> None:
    item = raw_item(1).model_copy(update={"body": b"\x80\x9d caf\xc3\xa9 \x00"})
    wire = encode(item)
    assert b"\\x" not in wire
    assert decode(RawItem, wire).body == b"\x80\x9d caf\xc3\xa9 \x00"


def test_malformed_payload_is_a_permanent_error_with_a_code() -> None:
    with pytest.raises(PermanentError) as info:
        decode(RawItem, b'{"story_id": "x"}')
    assert info.value.code == ErrorCode.MALFORMED_MESSAGE


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Trace(ingested=datetime(2026, 1, 1))


def test_trace_stamps_each_stage_in_turn() -> None:
    trace = Trace()
    for stage in Stage:
        assert not trace.complete()
        trace = trace.stamped(stage, datetime(2026, 1, 1, tzinfo=UTC))
    assert trace.complete()


def test_models_are_frozen() -> None:
    story = enriched_story(2)
    with pytest.raises(ValidationError):
        story.word_count = 3  # type: ignore[misc]
    assert isinstance(story, EnrichedStory)
