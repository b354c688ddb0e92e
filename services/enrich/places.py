"""Places of a story: countries scanned in the text, cities from NER spans, the dateline first (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from services.enrich.entities import EVENT_HEADS, Mention, clean, fold
from services.enrich.geo import Gazetteer
from shared.contracts import Dateline, Place

_CITY_LABELS = frozenset({"GPE", "LOC"})


def locate(
    text: str, mentions: Sequence[Mention], dateline: Dateline | None, gazetteer: Gazetteer
) -> tuple[Place, ...]:
    """Geocoded places, dateline first, then by mentions; each place once."""
    people = [(m.start, m.end) for m in mentions if m.label == "PERSON"]
    countries: Counter[str] = Counter()
    for start, end, code in gazetteer.scan_countries(text):
        if not any(s <= start and end <= e for s, e in people):  # "Jordan Henderson" is no country
            countries[code] += 1
    prefer = frozenset(c for c in countries if not c.startswith("@"))
    cities: dict[str, Place] = {}
    city_mentions: Counter[str] = Counter()
    known = gazetteer.known_names()
    for m in mentions:
        form = clean(m.text)
        words = form.split()
        if words and (m.label == "EVENT" or words[-1].casefold() in EVENT_HEADS):
            form = words[0]  # an event named for its host city locates the story there
        elif m.label not in _CITY_LABELS:
            continue
        if not form or fold(form) in known:
            continue
        place = gazetteer.city(form, prefer=prefer)
        if place is not None:
            cities.setdefault(place.name, place)
            city_mentions[place.name] += 1
    found: list[Place] = []
    if dateline is not None:
        place = gazetteer.city(dateline.city, prefer=prefer)
        if place is not None:
            found.append(place.model_copy(update={"is_dateline": True, "mentions": city_mentions[place.name]}))
    for name, place in cities.items():
        if not any(p.name == name for p in found):
            found.append(place.model_copy(update={"mentions": city_mentions[name]}))
    for code, count in countries.items():
        country = (gazetteer.continent(code[1:], mentions=count) if code.startswith("@")
                   else gazetteer.country(code, mentions=count))
        if country is not None:
            found.append(country)
    head = [p for p in found if p.is_dateline]
    return (*head, *sorted((p for p in found if not p.is_dateline), key=lambda p: -p.mentions))
