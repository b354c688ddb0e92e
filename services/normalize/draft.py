"""The extractors' common output: a mutable draft story that core finishes into the contract model."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class DraftStory:
    """What an extractor found in one page, before wire metadata and validation."""

    headline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)
    agency: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    related_headlines: list[str] = field(default_factory=list)
    contributors: str | None = None
    fixes: list[str] = field(default_factory=list)


def unique(items: list[str]) -> list[str]:
    """Return ``items`` without empty strings and repeats, keeping first occurrences in order."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out
