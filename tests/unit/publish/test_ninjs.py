"""ninjs 2.2 rendering: shape, sanitized HTML, and conformance to the official schema."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.publish.core import LatestVersion, decide
from services.publish.ninjs import sanitize_html
from tests.conftest import SHARED_DIR
from tests.support.factories import NOW
from tests.support.publishing import ninjs_validator, rich_story

OFFICIAL_SCHEMA = SHARED_DIR / "standards" / "ninjs" / "specification" / "ninjs-schema_2.2.json"
HEADLINES = ["Council approves budget", "CORRECTED: Council approves budget",
             "WITHHOLD: Council approves budget", "KILL: Council approves budget"]


def every_version() -> list[dict[str, object]]:
    """One rendered document per action, with and without optional fields."""
    docs = []
    for version, headline in enumerate(HEADLINES, start=1):
        latest = LatestVersion(version - 1, f"h{version}", NOW) if version > 1 else None
        for story in (rich_story(1, headline=headline, urgency=2, agency="AP", embargo_until=NOW),
                      rich_story(2, headline=headline).model_copy(
                          update={"people": (), "places": (), "subjects": (), "keywords": ()})):
            event = decide(latest, story, now=NOW + timedelta(minutes=version))
            assert event is not None
            assert event.ninjs is not None
            docs.append(event.ninjs)
    return docs


def test_document_shape() -> None:
    doc = every_version()[0]
    assert doc["version"] == "1"
    assert doc["pubstatus"] == "usable"
    assert doc["urgency"] == 2
    assert doc["language"] == "en"
    assert doc["headlines"] == [{"role": "main", "value": "Council approves budget"}]
    html_body = doc["bodies"][0]  # type: ignore[index]
    assert html_body["contenttype"] == "text/html"
    assert html_body["value"].startswith("<p>TAMPERE, Finland")
    assert doc["subjects"][0] == {  # type: ignore[index]
        "name": "politics", "uri": "http://cv.iptc.org/newscodes/mediatopic/11000000", "literal": "11000000",
        "rel": "about", "confidence": 82, "creator": "newswire-enrich"}
    assert doc["people"] == [{"name": "Anna Virtanen", "rel": "mentioned", "literal": "Anna Virtanen"}]
    assert doc["places"][0]["geojson"] == {"type": "Point", "coordinates": [23.7608, 61.4981]}  # type: ignore[index]
    assert doc["located"] == "TAMPERE"
    assert doc["embargoed"] == "2026-05-04T12:00:00Z"
    assert {"role": "story-id", "value": rich_story(1).story_id} in doc["altids"]  # type: ignore[operator]


def test_kill_and_withhold_carry_status_and_editorial_note() -> None:
    docs = every_version()
    assert (docs[4]["pubstatus"], docs[6]["pubstatus"]) == ("withheld", "canceled")
    assert str(docs[6]["ednote"]).startswith("KILL")


def test_html_body_is_sanitized() -> None:
    dirty = '<p onclick="x()">Hi<script>alert(1)</script><iframe src="e"></iframe> <a href="h">l</a></p>'
    assert sanitize_html(dirty) == '<p>Hi <a href="h" rel="noopener noreferrer">l</a></p>'
    event = decide(None, rich_story(1, body_paragraphs=("<script>alert(1)</script> A & B",)), now=NOW)
    assert event is not None
    assert event.ninjs is not None
    assert event.ninjs["bodies"][0]["value"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt; A &amp; B</p>"


def test_every_rendered_version_conforms_to_the_shipped_schema() -> None:
    validator = ninjs_validator()
    for doc in every_version():
        assert list(validator.iter_errors(doc)) == []


def test_schema_rejects_a_broken_document() -> None:
    assert list(ninjs_validator().iter_errors({"uri": "x", "pubstatus": "gone", "invented": 1}))


@pytest.mark.shared_data
def test_every_rendered_version_conforms_to_the_official_schema() -> None:
    if not OFFICIAL_SCHEMA.exists():
        pytest.skip(f"../shared is absent: {OFFICIAL_SCHEMA} not found")
    validator = ninjs_validator(OFFICIAL_SCHEMA)
    for doc in every_version():
        assert list(validator.iter_errors(doc)) == []
