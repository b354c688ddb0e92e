from __future__ import annotations

from services.enrich.quotes import extract_quotes

ALIASES = {"Ben Hodges": "Ben Hodges", "Hodges": "Ben Hodges", "Anna Berg": "Anna Berg", "Berg": "Anna Berg"}


def test_speaker_named_in_the_paragraph() -> None:
    quotes = extract_quotes(["“We will rebuild the bridge by spring,” Anna Berg said on Monday."], ALIASES)
    assert [(q.text, q.speaker) for q in quotes] == [("We will rebuild the bridge by spring", "Anna Berg")]


def test_he_said_resolves_to_the_last_person_named_not_to_he() -> None:
    quotes = extract_quotes(
        [
            "“The line will hold,” Ben Hodges, a former general, said last month.",
            "“They violate every agreement,\" he said. \"So we must be ready for anything.”",
        ],
        ALIASES,
    )
    assert [q.speaker for q in quotes] == ["Ben Hodges", "Ben Hodges", "Ben Hodges"]
    assert quotes[2].text == "So we must be ready for anything."


def test_scare_quotes_are_not_statements_and_unattributed_quotes_have_no_speaker() -> None:
    quotes = extract_quotes(
        ["It is “critical” to act, officials said.", "“Nobody knows what happens next,” a diplomat said."],
        ALIASES,
    )
    assert [(q.text, q.speaker) for q in quotes] == [("Nobody knows what happens next", None)]


def test_surname_alone_attributes_to_the_full_name() -> None:
    quotes = extract_quotes(["“Prices must come down this year,” Berg told reporters."], ALIASES)
    assert quotes[0].speaker == "Anna Berg"
