from __future__ import annotations

import pytest

from services.enrich.entities import Mention
from services.enrich.models import Models
from services.enrich.places import locate
from shared.contracts import Dateline


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Britain and the U.S. agreed.", ["GB", "US"]),
        ("Talks in Ivory Coast ended.", ["CI"]),
        ("Let us go to the UK, said the United States envoy.", ["GB", "US"]),  # "us" is a pronoun
        ("The Netherlands and Germany's leaders met.", ["NL", "DE"]),
        ("USAID and Francesca spoke.", []),  # names inside longer words do not count
    ],
)
def test_country_names_are_found_as_news_writes_them(models: Models, text: str, codes: list[str]) -> None:
    assert [code for _, _, code in models.gazetteer.scan_countries(text)] == codes


@pytest.mark.parametrize(
    ("name", "prefer", "expected"),
    [
        ("Brussels", frozenset(), ("Brussels", "BE")),
        ("BRUSSELS", frozenset(), ("Brussels", "BE")),
        ("Kiev", frozenset(), ("Kyiv", "UA")),
        ("Munich", frozenset(), ("Munich", "DE")),
        ("Washington", frozenset({"US"}), ("Washington", "US")),
        ("Paris", frozenset({"US"}), ("Paris", "US")),  # a Paris in the story's country wins
        ("Gondor", frozenset(), None),
    ],
)
def test_cities_geocode_to_the_most_populous_match(
    models: Models, name: str, prefer: frozenset[str], expected: tuple[str, str] | None
) -> None:
    place = models.gazetteer.city(name, prefer=prefer)
    assert ((place.name, place.country_code) if place else None) == expected
    if place:
        assert place.lat is not None
        assert place.lon is not None
        assert place.geonames_id


def test_dateline_comes_first_and_countries_and_cities_are_counted(models: Models) -> None:
    text = "Aid for Ukraine\n\nOfficials in Munich and Kiev said Ukraine and Britain would help. Europe agreed."
    mentions = [Mention("Munich", "GPE", text.index("Munich"), text.index("Munich") + 6),
                Mention("Kiev", "GPE", text.index("Kiev"), text.index("Kiev") + 4)]
    places = locate(text, mentions, Dateline(city="BRUSSELS"), models.gazetteer)
    assert places[0].name == "Brussels"
    assert places[0].is_dateline
    assert places[0].country_code == "BE"
    by_name = {p.name: p for p in places}
    assert by_name["Ukraine"].mentions == 2
    assert by_name["Ukraine"].feature == "country"
    assert by_name["United Kingdom"].country_code == "GB"
    assert by_name["Kyiv"].country_code == "UA"
    assert by_name["Europe"].feature == "continent"
    assert not any(p.is_dateline for p in places[1:])


def test_a_person_named_like_a_country_is_not_a_place(models: Models) -> None:
    text = "Jordan Henderson scored."
    places = locate(text, [Mention("Jordan Henderson", "PERSON", 0, 16)], None, models.gazetteer)
    assert places == ()
