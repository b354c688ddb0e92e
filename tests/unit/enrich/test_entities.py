from __future__ import annotations

import pytest

from services.enrich.core import Analyzers
from services.enrich.entities import Mention, canonicalize, clean
from services.enrich.spans import titled_people
from tests.unit.enrich.stories import MATCH, SUMMIT

PLACES = frozenset({"britain", "france", "ukraine"})


def _mentions(text: str, spans: list[tuple[str, str]]) -> list[Mention]:
    out, cursor = [], 0
    for surface, label in spans:
        start = text.index(surface, cursor)
        out.append(Mention(surface, label, start, start + len(surface)))
        cursor = start + len(surface)
    return out


@pytest.mark.parametrize(
    ("surface", "person", "expected"),
    [
        ("President Emmanuel Macron", True, "Emmanuel Macron"),
        ("Retired Gen. Dominique Martin", True, "Dominique Martin"),
        ("Gen. Mark Milley", True, "Mark Milley"),
        ("Putin’s", True, "Putin"),
        ("the Financial Times", False, "Financial Times"),
        ("General Motors", False, "General Motors"),
        ("U.N.", False, "U.N."),
    ],
)
def test_clean_strips_titles_possessives_and_articles(surface: str, person: bool, expected: str) -> None:
    assert clean(surface, person=person) == expected


def test_surname_mentions_merge_into_the_full_name_and_count() -> None:
    text = "President Emmanuel Macron spoke. Macron said more. Later Macron left; Zelenskyy stayed."
    mentions = _mentions(text, [("President Emmanuel Macron", "PERSON"), ("Macron", "PERSON"),
                                ("Macron", "ORG"), ("Zelenskyy", "ORG")])
    people, orgs, aliases = canonicalize(mentions, places=PLACES, headline_end=0, lead_end=10)
    assert [(p.name, p.mentions) for p in people] == [("Emmanuel Macron", 3)]
    assert people[0].aliases == ("Macron",)
    assert aliases["Macron"] == "Emmanuel Macron"
    assert orgs == []  # a lone "Zelenskyy" tagged ORG, seen once, is not an organisation


def test_misspelled_surname_merges_and_the_majority_spelling_wins() -> None:
    text = "Hanno Pevklur spoke. Pevkur said. Pevkur added."
    mentions = _mentions(text, [("Hanno Pevklur", "PERSON"), ("Pevkur", "ORG"), ("Pevkur", "ORG")])
    people, orgs, _ = canonicalize(mentions, places=PLACES, headline_end=0, lead_end=0)
    assert [(p.name, p.mentions) for p in people] == [("Hanno Pevkur", 3)]
    assert orgs == []


def test_gazetteers_fix_types_and_merge_organisation_aliases() -> None:
    text = "Britain and NATO met the U.N. and the United Nations. The AP, Defense, Munich Security Conference."
    mentions = _mentions(text, [("Britain", "ORG"), ("NATO", "GPE"), ("U.N.", "ORG"), ("the United Nations", "FAC"),
                                ("AP", "ORG"), ("Defense", "ORG"), ("Munich Security Conference", "ORG")])
    people, orgs, _ = canonicalize(mentions, places=PLACES, headline_end=0, lead_end=0)
    assert people == []
    names = {o.name: o for o in orgs}
    assert set(names) == {"NATO", "United Nations", "Associated Press"}  # no country, title word or event
    assert names["United Nations"].mentions == 2


def test_salience_ranks_headline_and_lead_entities_first() -> None:
    text = "Austin visits Kyiv\n\nLloyd Austin arrived. Later Olaf Scholz, Olaf Scholz and Scholz spoke."
    mentions = _mentions(text, [("Austin", "PERSON"), ("Lloyd Austin", "PERSON"), ("Olaf Scholz", "PERSON"),
                                ("Olaf Scholz", "PERSON"), ("Scholz", "PERSON")])
    people, _, _ = canonicalize(mentions, places=PLACES, headline_end=18, lead_end=40)
    assert [p.name for p in people] == ["Lloyd Austin", "Olaf Scholz"]
    assert people[0].salience > people[1].salience
    assert 0 <= people[1].salience <= 1


def test_real_ner_pipeline_finds_canonical_people_and_organisations(analyzers: Analyzers) -> None:
    headline, paragraphs = SUMMIT
    text = "\n\n".join((headline, *paragraphs))
    mentions = titled_people(text, analyzers.recognize(text))
    people, orgs, _ = canonicalize(mentions, places=analyzers.gazetteer.known_names(),
                                   headline_end=len(headline), lead_end=len(headline) + len(paragraphs[0]))
    assert {"Lloyd Austin", "Olaf Scholz", "Volodymyr Zelenskyy"} <= {p.name for p in people}
    assert {"NATO", "European Union", "United Nations"} <= {o.name for o in orgs}
    assert not {"Britain", "Ukraine", "Germany"} & {o.name for o in orgs}
    austin = next(p for p in people if p.name == "Lloyd Austin")
    assert austin.mentions >= 3


def test_real_ner_on_a_sports_story(analyzers: Analyzers) -> None:
    headline, paragraphs = MATCH
    text = "\n\n".join((headline, *paragraphs))
    mentions = titled_people(text, analyzers.recognize(text))
    people, _, _ = canonicalize(mentions, places=analyzers.gazetteer.known_names(),
                                headline_end=len(headline), lead_end=len(text))
    assert {"Bukayo Saka", "Mikel Arteta"} <= {p.name for p in people}
