"""Entity canonicalization: NER mentions in, merged, retyped and ranked people/organisations out (pure)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from services.enrich.gazetteer import ORG_ALIASES
from shared.contracts import Entity, EntityKind


@dataclass(frozen=True)
class Mention:
    """One NER span: its text, spaCy label and character offsets in the analysed text."""

    text: str
    label: str
    start: int
    end: int


KIND_OF_LABEL = {
    "PERSON": EntityKind.PERSON,
    "ORG": EntityKind.ORGANISATION,
    "GPE": EntityKind.PLACE,
    "LOC": EntityKind.PLACE,
    "FAC": EntityKind.PLACE,
    "EVENT": EntityKind.EVENT,
}
"""spaCy (OntoNotes) labels we keep; NORP, dates, numbers and works of art are not filtered on."""

TITLES = frozenset(
    {
        "president", "vice", "prime", "minister", "secretary", "secretary-general", "general", "gen.", "gen",
        "lt.", "col.", "colonel", "sen.", "senator", "rep.", "representative", "gov.", "governor", "mayor",
        "king", "queen", "prince", "princess", "pope", "chancellor", "premier", "ambassador", "chief",
        "justice", "judge", "mr.", "mrs.", "ms.", "dr.", "prof.", "sir", "dame", "lord", "lady", "former",
        "retired", "top", "defense", "defence", "foreign", "interior", "finance", "health", "commanding",
        "commander", "admiral", "adm.", "sgt.", "capt.", "captain", "speaker", "leader", "chairman",
        "chairwoman", "ceo", "director", "spokesman", "spokeswoman", "minister's"
    }
)
"""Words that precede a name but are not part of it ("President", "Gen.", "Retired French Gen.")."""

MINISTRY_WORDS = frozenset(
    {
        "defense", "defence", "foreign", "interior", "finance", "health", "justice", "education", "treasury",
        "state", "media"
    }
)
"""A lone one of these tagged ORG is a fragment of a title ("Defense Secretary"), not an organisation."""

EVENT_HEADS = frozenset({
    "conference", "summit", "forum", "games", "olympics", "cup", "championship", "festival"
})
"""Last words that make an ORG span a named event ("Munich Security Conference")."""

_ARTICLES = frozenset({"the", "a", "an", "top", "former"})
_KNOWN_ORGS = frozenset(ORG_ALIASES.values())
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$")


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive key of a name ("Sprūds" and "Spruds" fold alike); cached: names recur."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=1 << 16)
def clean(text: str, *, person: bool = False) -> str:
    """Strip possessives, edge punctuation, a leading article and, from a person's name, titles."""
    text = _POSSESSIVE.sub("", " ".join(text.split()))
    abbreviation = text.endswith(".") and "." in text.rsplit(" ", 1)[-1][:-1]  # keep "U.N." whole
    text = _EDGE_JUNK.sub("", text) + ("." if abbreviation else "")
    words = text.split(" ")
    strip = TITLES if person else _ARTICLES
    while len(words) > 1 and words[0].casefold() in strip:
        words = words[1:]
    while len(words) > 1 and words[-1].islower():  # "Commanding General of": NER ran on into the sentence
        words = words[:-1]
    return " ".join(words)


def _edit_distance_le1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            edits += 1
            if edits > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return edits + (len(b) - j) <= 1


@dataclass
class _Group:
    kind: EntityKind
    forms: Counter[str] = field(default_factory=Counter)
    starts: list[int] = field(default_factory=list)
    canonical: str | None = None

    def add(self, form: str, start: int) -> None:
        self.forms[form] += 1
        self.starts.append(start)


def _person_name(group: _Group) -> str:
    """Longest full form, with the surname spelled the way the story spells it most often."""
    full = max(group.forms, key=lambda f: (len(f.split()), group.forms[f], len(f)))
    surnames = Counter[str]()
    for form, count in group.forms.items():
        surnames[form.split()[-1]] += count
    best_surname = max(surnames, key=lambda s: (surnames[s], len(s)))
    parts = full.split()
    if len(parts) > 1 and _edit_distance_le1(fold(parts[-1]), fold(best_surname)):
        parts[-1] = best_surname
    return " ".join(parts)


def _retype(
    form: str, label: str, surnames: Mapping[str, str], places: frozenset[str], cities: frozenset[str]
) -> EntityKind | None:
    """The kind a cleaned span really is, or None when it is noise."""
    key = fold(form)
    if key in ORG_ALIASES:
        return EntityKind.ORGANISATION
    if key in places:
        return EntityKind.PLACE
    words = form.split()
    if len(words) == 1 and _match_surname(key, surnames):
        return EntityKind.PERSON  # "Pevkur said": a surname NER took for an organisation
    if len(words) == 1 and label == "PERSON" and key in cities:
        return EntityKind.PLACE  # "from Kiev": a lone city name is not a person unless a surname
    kind = KIND_OF_LABEL.get(label)
    if kind is EntityKind.ORGANISATION:
        if words[-1].casefold() in EVENT_HEADS:
            return EntityKind.EVENT
        if all(w.casefold() in MINISTRY_WORDS or w.casefold() in TITLES for w in words):
            return None  # "Defense", "Commanding General": a title, not an organisation
    return kind


def _surname_index(forms: Iterable[str]) -> dict[str, str]:
    """Folded surname (and fuzzy variants' key) -> full name, from multi-word person forms."""
    index: dict[str, str] = {}
    for form in sorted(forms, key=lambda f: -len(f)):
        words = form.split()
        if len(words) > 1:
            index.setdefault(fold(words[-1]), form)
    return index


def _match_surname(key: str, surnames: Mapping[str, str]) -> str | None:
    if key in surnames:
        return surnames[key]
    if len(key) >= 5:
        for surname, full in surnames.items():
            if _edit_distance_le1(key, surname):
                return full
    return None


def canonicalize(
    mentions: Sequence[Mention],
    *,
    places: frozenset[str],
    headline_end: int,
    lead_end: int,
    cities: frozenset[str] = frozenset(),
) -> tuple[list[Entity], list[Entity], dict[str, str]]:
    """Merge mentions into (people, organisations, surface form -> canonical person name).

    ``places`` holds folded country and continent names (a country tagged ORG is a
    place), ``cities`` folded city names; spans before ``headline_end``/``lead_end``
    weigh more in salience.
    """
    cleaned = [(clean(m.text, person=m.label == "PERSON"), m) for m in mentions]
    cleaned = [(form, m) for form, m in cleaned if form and any(c.isupper() for c in form)]
    person_forms = [form for form, m in cleaned if m.label == "PERSON"]
    surnames = _surname_index(person_forms)
    groups: dict[tuple[EntityKind, str], _Group] = {}
    for form, m in cleaned:
        kind = _retype(form, m.label, surnames, places, cities)
        if kind not in (EntityKind.PERSON, EntityKind.ORGANISATION):
            continue
        if kind is EntityKind.PERSON:
            key = fold(form)
            full = _match_surname(key.split()[-1], surnames) if len(form.split()) > 1 else None
            full = full or _match_surname(key, surnames) or form
            group_key: tuple[EntityKind, str] = (kind, fold(full))
        else:
            canonical = ORG_ALIASES.get(fold(form), form)
            group_key = (kind, fold(canonical))
        group = groups.setdefault(group_key, _Group(kind))
        if kind is EntityKind.ORGANISATION:
            group.canonical = ORG_ALIASES.get(fold(form), group.canonical or form)
        group.add(form, m.start)
    return _ranked(groups, EntityKind.PERSON, headline_end, lead_end), _ranked(
        groups, EntityKind.ORGANISATION, headline_end, lead_end
    ), _alias_map(groups)


def _alias_map(groups: Mapping[tuple[EntityKind, str], _Group]) -> dict[str, str]:
    names: dict[str, str] = {}
    for (kind, _), group in groups.items():
        if kind is EntityKind.PERSON:
            name = _person_name(group)
            for form in group.forms:
                names[form] = name
    return names


def _ranked(
    groups: Mapping[tuple[EntityKind, str], _Group], kind: EntityKind, headline_end: int, lead_end: int
) -> list[Entity]:
    chosen = [g for (k, _), g in groups.items() if k is kind]
    # A lone, capitalised word seen once that no gazetteer knows is too weak to filter on.
    if kind is EntityKind.ORGANISATION:
        chosen = [g for g in chosen if g.canonical in _KNOWN_ORGS or sum(g.forms.values()) > 1
                  or any(len(f.split()) > 1 or f.isupper() for f in g.forms)]
    most = max((sum(g.forms.values()) for g in chosen), default=1)
    entities = []
    for group in chosen:
        name = (_person_name(group) if kind is EntityKind.PERSON
                else group.canonical or group.forms.most_common(1)[0][0])
        mentions = sum(group.forms.values())
        salience = (
            0.4 * any(s < headline_end for s in group.starts)
            + 0.3 * any(s < lead_end for s in group.starts)
            + 0.3 * mentions / most
        )
        aliases = tuple(sorted(f for f in group.forms if f != name))
        entities.append(Entity(name=name, kind=kind, mentions=mentions, salience=round(salience, 3), aliases=aliases))
    return sorted(entities, key=lambda e: (-e.salience, -e.mentions, e.name))
