"""Agency-format parsers against fixtures written for this project, good and malformed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.ingest.formats import parse_agency
from shared.contracts import AgencyFormat, PubStatus
from shared.errors import ErrorCode, PermanentError

DATA = Path(__file__).resolve().parents[2] / "data" / "ingest"


def parse(name: str, media_type: str):  # type: ignore[no-untyped-def]
    return parse_agency((DATA / name).read_bytes(), media_type)


def test_ninjs_1x_maps_headline_byline_body_status_and_times() -> None:
    doc = parse("ninjs1_usable.json", "application/json")
    assert doc is not None
    assert (doc.format, doc.format_version) == (AgencyFormat.NINJS, "1.x")
    assert doc.guid == "urn:newswire-test:ninjs1:harbour-0001"
    assert doc.headline == "Harbour pilots vote to end week-long strike"
    assert doc.byline == ("Mira Okafor", "Tomas Lind")
    assert doc.dateline == "ROTTERDAM"
    assert len(doc.body_paragraphs) == 3
    assert doc.body_paragraphs[2] == "Port officials expect normal traffic to resume by Sunday."
    assert (doc.urgency, doc.pubstatus, doc.version) == (3, PubStatus.USABLE, 1)
    assert doc.published_at == datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
    assert doc.embargo_until is None


def test_ninjs_2x_reads_main_headline_html_body_correction_and_embargo() -> None:
    doc = parse("ninjs2_correction.json", "application/vnd.iptc.ninjs+json")
    assert doc is not None
    assert doc.format_version == "2.1"
    assert doc.headline == "City orchestra postpones season opener after roof leak"
    assert doc.body_paragraphs[1] == "Engineers found two cracked skylights during an inspection on Thursday."
    assert doc.pubstatus is PubStatus.WITHHELD
    assert doc.signals == ("correction",)
    assert doc.ednote is not None
    assert doc.ednote.startswith("Corrects date")
    assert (doc.version, doc.urgency, doc.language) == (3, 5, "en-GB")
    assert doc.embargo_until == datetime(2026, 11, 27, 12, tzinfo=UTC)
    assert doc.agency == "Test Wire Agency"


def test_newsml_g2_item_with_inline_nitf_body() -> None:
    doc = parse("newsml_g2_item.xml", "application/xml")
    assert doc is not None
    assert doc.format is AgencyFormat.NEWSML_G2
    assert doc.guid == "urn:newswire-test:g2:rail-0003"
    assert doc.headline == "Rail tunnel under the estuary opens two months early"
    assert doc.byline == ("Jonas Weber",)
    assert doc.dateline == "ANTWERP, Nov 27"
    assert doc.body_paragraphs[1] == "The transport minister said the first freight trains would use it from Monday."
    assert (doc.urgency, doc.version, doc.signals) == (2, 2, ("update",))
    assert doc.embargo_until == datetime(2026, 11, 27, 14, tzinfo=UTC)
    assert doc.agency == "Test Wire Agency"


def test_newsml_g2_message_with_canceled_item() -> None:
    doc = parse("newsml_g2_message_canceled.xml", "text/xml")
    assert doc is not None
    assert doc.pubstatus is PubStatus.CANCELED
    assert doc.version == 4
    assert doc.body_paragraphs == ("This story has been withdrawn.", "Please delete it from your systems.")


def test_nitf_maps_docdata_release_time_as_embargo_and_correction() -> None:
    doc = parse("nitf_embargoed.xml", "application/nitf+xml")
    assert doc is not None
    assert doc.format is AgencyFormat.NITF
    assert doc.guid == "TWA-20261127-0005"
    assert doc.headline == "River levels fall as floods ease upstream"
    assert doc.byline == ("Lena Novak",)
    assert doc.dateline == "NIJMEGEN, Nov 27"
    assert doc.embargo_until == datetime(2026, 11, 27, 18, tzinfo=UTC)
    assert doc.published_at == datetime(2026, 11, 27, 6, tzinfo=UTC)
    assert (doc.urgency, doc.version, doc.signals) == (4, 2, ("correction",))
    assert doc.language == "en"


def test_anpa_writethru_header_priority_version_embargo_and_paragraphs() -> None:
    doc = parse("anpa1312_writethru.txt", "text/plain")  # sniffed by its SOH
    assert doc is not None
    assert doc.format is AgencyFormat.IPTC7901
    assert doc.guid == "BC-Ferry-Strike"
    assert doc.headline == "Ferry crews walk out over new rosters"
    assert doc.byline == ("SAM PRICE",)
    assert doc.dateline == "DOVER, England (TWA)"
    assert doc.body_paragraphs[0].endswith("halting crossings for the morning.")  # continuation line joined
    assert len(doc.body_paragraphs) == 3  # the "TWA-LN 271402 GMT" trailer is not story text
    assert (doc.urgency, doc.version, doc.signals) == (3, 3, ("update",))
    assert doc.embargo_until == datetime(2026, 11, 27, 16, tzinfo=UTC)


def test_iptc7901_kill_is_canceled_with_flash_priority() -> None:
    doc = parse("iptc7901_kill.txt", "application/x-iptc7901")
    assert doc is not None
    assert (doc.pubstatus, doc.urgency, doc.signals) == (PubStatus.CANCELED, 1, ("kill",))


def test_plain_wire_copy_and_html_are_not_agency_formats() -> None:
    assert parse_agency(b"Council approves budget\n\nBRUSSELS (AP) - Text.", "text/plain") is None
    assert parse_agency(b"<html><body><p>x</p></body></html>", "text/html") is None


@pytest.mark.parametrize(
    ("name", "media_type", "code", "reason"),
    [
        ("bad_ninjs_truncated.json", "application/json", ErrorCode.MALFORMED_ITEM, "not valid JSON"),
        ("bad_ninjs_no_headline.json", "application/json", ErrorCode.MALFORMED_ITEM, "no headline"),
        ("bad_ninjs_pubstatus.json", "application/json", ErrorCode.MALFORMED_ITEM, "pubstatus"),
        ("bad_g2_unclosed.xml", "application/xml", ErrorCode.MALFORMED_ITEM, "not well-formed"),
        ("bad_nitf_no_headline.xml", "application/xml", ErrorCode.MALFORMED_ITEM, "no hl1"),
        ("bad_nitf_xxe.xml", "application/xml", ErrorCode.MALFORMED_ITEM, "DTD"),
        ("bad_7901_no_etx.txt", "text/plain", ErrorCode.MALFORMED_ITEM, "no ETX"),
        ("bad_7901_no_stx.txt", "text/plain", ErrorCode.MALFORMED_ITEM, "no STX"),
        ("bad_unknown_root.xml", "application/xml", ErrorCode.UNSUPPORTED_FORMAT, "neither"),
    ],
)
def test_malformed_items_raise_a_permanent_error_with_a_code(
    name: str, media_type: str, code: ErrorCode, reason: str
) -> None:
    with pytest.raises(PermanentError) as caught:
        parse(name, media_type)
    assert caught.value.code == code
    assert reason in caught.value.message


def test_json_that_is_not_ninjs_is_unsupported() -> None:
    with pytest.raises(PermanentError) as caught:
        parse_agency(b'{"hello": "world"}', "application/json")
    assert caught.value.code == ErrorCode.UNSUPPORTED_FORMAT
