"""Ingest parses agency items into the raw item; normalize turns them into stories without extraction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.ingest.core import content_type_for, make_raw_item
from services.normalize.core import normalize
from shared.codec import decode, encode
from shared.contracts import PubStatus, RawItem
from shared.errors import ErrorCode, PermanentError

DATA = Path(__file__).resolve().parents[2] / "data" / "ingest"
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def raw_from(name: str, **kwargs: object) -> RawItem:
    options: dict[str, object] = {"item_id": "i1", **kwargs}
    return make_raw_item((DATA / name).read_bytes(), source="twa", content_type=content_type_for(name),
                         now=NOW, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "fmt", "headline"),
    [
        ("ninjs1_usable.json", "ninjs", "Harbour pilots vote to end week-long strike"),
        ("ninjs2_correction.json", "ninjs", "City orchestra postpones season opener after roof leak"),
        ("newsml_g2_item.xml", "newsml-g2", "Rail tunnel under the estuary opens two months early"),
        ("nitf_embargoed.xml", "nitf", "River levels fall as floods ease upstream"),
        ("anpa1312_writethru.txt", "iptc7901", "Ferry crews walk out over new rosters"),
    ],
)
def test_agency_item_becomes_a_story_with_its_fields(name: str, fmt: str, headline: str) -> None:
    raw = decode(RawItem, encode(raw_from(name)))  # the parsed document survives the topic
    story = normalize(raw, now=NOW, max_bytes=5_000_000)
    assert story.input_format == fmt
    assert story.headline == headline
    assert story.body_paragraphs
    assert story.story_id == raw.story_id
    assert story.trace.normalized == NOW


def test_agency_guid_keys_the_story_so_versions_share_an_id() -> None:
    first = raw_from("ninjs1_usable.json")
    again = raw_from("ninjs1_usable.json", item_id="i2")
    assert first.source_item_id == "urn:newswire-test:ninjs1:harbour-0001"
    assert first.story_id == again.story_id


def test_story_carries_status_signals_embargo_and_title_cased_byline() -> None:
    story = normalize(raw_from("anpa1312_writethru.txt"), now=NOW, max_bytes=5_000_000)
    assert story.byline == ("Sam Price",)
    assert story.dateline is not None
    assert story.dateline.city == "DOVER"
    assert story.embargo_until == datetime(2026, 11, 27, 16, tzinfo=UTC)
    assert (story.source_signals, story.source_version, story.urgency) == (("update",), 3, 3)
    withheld = normalize(raw_from("ninjs2_correction.json"), now=NOW, max_bytes=5_000_000)
    assert withheld.source_pubstatus is PubStatus.WITHHELD
    assert withheld.source_signals == ("correction",)


def test_pushed_urgency_and_embargo_override_the_documents() -> None:
    embargo = datetime(2026, 11, 28, tzinfo=UTC)
    story = normalize(raw_from("nitf_embargoed.xml", urgency=1, embargo_until=embargo), now=NOW,
                      max_bytes=5_000_000)
    assert (story.urgency, story.embargo_until) == (1, embargo)


def test_malformed_agency_item_is_refused_at_ingest() -> None:
    with pytest.raises(PermanentError) as caught:
        raw_from("bad_ninjs_no_headline.json")
    assert caught.value.code == ErrorCode.MALFORMED_ITEM


def test_usable_item_without_body_is_empty_body() -> None:
    body = b'{"uri": "urn:x:empty", "headline": "Headline only", "pubstatus": "usable"}'
    raw = make_raw_item(body, source="twa", content_type="application/json", item_id="i", now=NOW)
    with pytest.raises(PermanentError) as caught:
        normalize(raw, now=NOW, max_bytes=5_000_000)
    assert caught.value.code == ErrorCode.EMPTY_BODY


def test_registry_agency_default_fills_an_item_that_names_none() -> None:
    body = b'{"uri": "urn:x:1", "headline": "Harbour reopens", "body_text": "The harbour reopened today."}'
    raw = make_raw_item(body, source="twa", content_type="application/json", item_id="i", now=NOW,
                        default_agency="Test Wire Agency")
    assert normalize(raw, now=NOW, max_bytes=5_000_000).agency == "Test Wire Agency"
    named = raw_from("newsml_g2_item.xml", default_agency="Other Agency")
    assert named.agency_document is not None
    assert named.agency_document.agency == "Test Wire Agency"  # the item's own provider wins
