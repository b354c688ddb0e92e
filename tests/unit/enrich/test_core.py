from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from services.enrich.core import Analyzers, enrich
from services.enrich.language import detect_language
from shared.errors import ErrorCode, PermanentError
from tests.unit.enrich.stories import MATCH, SUMMIT, story

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a socket fails the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("enrichment tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_full_enrichment_runs_offline(analyzers: Analyzers, no_network: None) -> None:
    enriched = enrich(story(*SUMMIT, city="VILNIUS"), now=NOW, detect_language=detect_language,
                      analyzers=analyzers)
    assert enriched.language == "en"
    assert enriched.skipped == ()
    assert {"Lloyd Austin", "Olaf Scholz", "Volodymyr Zelenskyy"} <= {p.name for p in enriched.people}
    assert "NATO" in {o.name for o in enriched.organisations}
    assert (enriched.places[0].name, enriched.places[0].country_code, enriched.places[0].is_dateline) == (
        "Vilnius", "LT", True)
    assert {"UA", "DE", "GB", "NL", "CI"} <= {p.country_code for p in enriched.places}
    assert enriched.subjects[0].code == "16000000"
    assert enriched.subjects[0].level == 1
    assert any(s.level > 1 for s in enriched.subjects)
    assert enriched.summary is not None
    assert enriched.summary.startswith("NATO defence ministers pledged")
    assert {q.speaker for q in enriched.quotes} == {"Lloyd Austin", "Volodymyr Zelenskyy"}
    assert "nato" not in enriched.keywords
    assert enriched.keywords


def test_sports_story_gets_the_sport_topic(analyzers: Analyzers) -> None:
    enriched = enrich(story(*MATCH, city="LONDON"), now=NOW, detect_language=detect_language, analyzers=analyzers)
    assert enriched.subjects[0].code == "15000000"
    assert enriched.places[0].name == "London"
    assert enriched.quotes[0].speaker == "Mikel Arteta"


def test_non_english_story_flows_with_english_only_steps_skipped(analyzers: Analyzers) -> None:
    german = story(
        "Stadtrat beschließt neuen Haushalt für die Straßenbahn",
        ("BERLIN (NWS) — Der Stadtrat hat am Dienstag den Haushalt für die neue Straßenbahnlinie beschlossen.",
         "Der Bau soll im nächsten Frühjahr beginnen und etwa drei Jahre dauern, sagten Beamte."),
        language=None,
    )
    enriched = enrich(german, now=NOW, detect_language=detect_language, analyzers=analyzers)
    assert enriched.language == "de"
    assert enriched.people == ()
    assert enriched.subjects == ()
    assert {s.split(":")[0] for s in enriched.skipped} == {"entities", "places", "subjects", "keywords", "quotes"}
    assert all("not English" in s for s in enriched.skipped)
    assert enriched.word_count > 0


def test_empty_body_is_a_permanent_error(analyzers: Analyzers) -> None:
    with pytest.raises(PermanentError) as caught:
        enrich(story("Headline", (" ", "—")), now=NOW, detect_language=detect_language, analyzers=analyzers)
    assert caught.value.code == ErrorCode.EMPTY_BODY


def test_without_analyzers_only_counts_and_language_are_added() -> None:
    enriched = enrich(story(*MATCH), now=NOW, detect_language=lambda _t: ("en", 0.9))
    assert enriched.word_count > 50
    assert enriched.people == ()
    assert enriched.trace.enriched == NOW
