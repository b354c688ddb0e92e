"""Who may see what: the facts of a version, subscriber entitlements and filters, and their matching (pure)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts import EnrichedStory

ALL = "*"
"""The entitlement that grants every source."""


class Facts(BaseModel):
    """What filters look at in one version, lower-cased once when the version is archived."""

    model_config = ConfigDict(frozen=True)

    source: str
    agency: str | None = None
    subjects: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    urgency: int | None = None
    language: str | None = None
    text: str = ""


class SubscriberFilter(BaseModel):
    """A subscriber's standing query: each criterion given must hold (any of its values), unset ones pass."""

    model_config = ConfigDict(frozen=True)

    subjects: Annotated[tuple[str, ...], Field(description="Media Topic codes or names.")] = ()
    places: Annotated[tuple[str, ...], Field(description="Place names or ISO country codes.")] = ()
    people: Annotated[tuple[str, ...], Field(description="People's canonical names.")] = ()
    organisations: Annotated[tuple[str, ...], Field(description="Organisations' canonical names.")] = ()
    keywords: Annotated[tuple[str, ...], Field(description="Keywords; also matched in headline and body.")] = ()
    languages: Annotated[tuple[str, ...], Field(description="Language codes, e.g. en.")] = ()
    max_urgency: Annotated[int | None, Field(ge=1, le=9, description="Only urgency 1..N (1 = flash).")] = None


def _lower(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in values if v.strip())


def facts_of(enriched: EnrichedStory) -> Facts:
    """The filterable facts of an enriched story."""
    story = enriched.story
    places = [p.name for p in enriched.places] + [p.country_code for p in enriched.places if p.country_code]
    return Facts(
        source=story.source.lower(),
        agency=story.agency.lower() if story.agency else None,
        subjects=_lower([s.code for s in enriched.subjects] + [s.name for s in enriched.subjects]),
        places=_lower(places),
        people=_lower([p.name for p in enriched.people]),
        organisations=_lower([o.name for o in enriched.organisations]),
        keywords=_lower(list(enriched.keywords)),
        urgency=story.urgency,
        language=(enriched.language or story.language or "").lower() or None,
        text=" ".join((story.headline, *story.body_paragraphs)).lower(),
    )


def entitled(entitlements: tuple[str, ...], facts: Facts) -> bool:
    """True when the subscriber's contract covers the version's source or agency."""
    granted = set(_lower(entitlements))
    return ALL in granted or facts.source in granted or (facts.agency is not None and facts.agency in granted)


def _any(wanted: tuple[str, ...], have: tuple[str, ...]) -> bool:
    return not wanted or bool(set(_lower(wanted)) & set(have))


def matches(subscriber_filter: SubscriberFilter, facts: Facts) -> bool:
    """True when ``facts`` pass every criterion the filter sets."""
    f = subscriber_filter
    keywords_ok = not f.keywords or any(
        k in facts.keywords or k in facts.text for k in _lower(f.keywords)
    )
    urgency_ok = f.max_urgency is None or (facts.urgency is not None and facts.urgency <= f.max_urgency)
    language_ok = not f.languages or facts.language in _lower(f.languages)
    return (
        _any(f.subjects, facts.subjects)
        and _any(f.places, facts.places)
        and _any(f.people, facts.people)
        and _any(f.organisations, facts.organisations)
        and keywords_ok
        and urgency_ok
        and language_ok
    )


def query_matches(query: str | None, facts: Facts) -> bool:
    """True when every word of a free-text query occurs in the headline or body."""
    return not query or all(term in facts.text for term in query.lower().split())
