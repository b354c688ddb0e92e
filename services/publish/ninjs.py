"""Render a story version as an IPTC ninjs 2.2 document (pure); HTML bodies are sanitized with nh3."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import nh3

from shared.contracts import Action, EnrichedStory, Entity, Place, PubStatus

NINJS_VERSION = "2.2"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
GEONAMES_URI = "https://sws.geonames.org/{id}/"
_ALLOWED_TAGS = {"p", "h2", "h3", "em", "strong", "a", "blockquote", "ul", "ol", "li", "br"}
_EDNOTES = {
    Action.KILL: "KILL: this story has been withdrawn and must not be used. Remove it from all systems.",
    Action.WITHHOLD: "WITHHOLD: do not use this story until further notice.",
    Action.CORRECT: "CORRECTION: this version corrects an earlier one.",
}


def iso(moment: datetime) -> str:
    """An RFC 3339 timestamp in UTC, as ninjs date-time fields want it."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def sanitize_html(markup: str) -> str:
    """Strip everything but basic text structure from ``markup`` (scripts, styles, handlers, iframes)."""
    return nh3.clean(markup, tags=_ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer")


def body_html(paragraphs: tuple[str, ...], subheadings: tuple[str, ...] = ()) -> str:
    """The body as sanitized HTML: one ``<p>`` per paragraph, subheadings as ``<h2>``."""
    heads = set(subheadings)
    parts = [f"<h2>{html.escape(p)}</h2>" if p in heads else f"<p>{html.escape(p)}</p>" for p in paragraphs]
    # Escaped already; sanitizing anyway keeps one guarantee for every body we ever emit.
    return sanitize_html("".join(parts))


def _entity(entity: Entity) -> dict[str, Any]:
    return {"name": entity.name, "rel": "mentioned", "literal": entity.name}


def _place(place: Place) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": place.name, "rel": "dateline" if place.is_dateline else "mentioned"}
    if place.geonames_id is not None:
        doc["uri"] = GEONAMES_URI.format(id=place.geonames_id)
    if place.country_code:
        doc["literal"] = place.country_code
    if place.lat is not None and place.lon is not None:
        doc["geojson"] = {"type": "Point", "coordinates": [place.lon, place.lat]}
    return doc


def _subjects(enriched: EnrichedStory) -> list[dict[str, Any]]:
    subjects: list[dict[str, Any]] = [
        {"name": s.name, "uri": s.uri, "literal": s.code, "rel": "about",
         "confidence": round(s.score * 100), "creator": "newswire-enrich"}
        for s in enriched.subjects
    ]
    # ninjs 2.2 has no keywords array: keywords travel as free-text subjects.
    subjects += [{"name": k, "literal": k, "rel": "keyword"} for k in enriched.keywords]
    return subjects


def render_ninjs(
    enriched: EnrichedStory,
    *,
    uri: str,
    version: int,
    action: Action,
    pubstatus: PubStatus,
    firstcreated: datetime,
    versioncreated: datetime,
) -> dict[str, Any]:
    """The ninjs 2.2 document of one version of ``enriched``."""
    story = enriched.story
    text = "\n\n".join(story.body_paragraphs)
    doc: dict[str, Any] = {
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "uri": uri,
        "type": "text",
        "representationtype": "full",
        "version": str(version),
        "firstcreated": iso(firstcreated),
        "versioncreated": iso(versioncreated),
        "pubstatus": str(pubstatus),
        "headlines": [{"role": "main", "value": story.headline}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": body_html(story.body_paragraphs, story.subheadings),
             "charcount": len(text), "wordcount": enriched.word_count},
            {"role": "main", "contenttype": "text/plain", "value": text,
             "charcount": len(text), "wordcount": enriched.word_count},
        ],
        "altids": [{"role": "story-id", "value": enriched.story_id},
                   {"role": "content-hash", "value": story.content_hash},
                   {"role": "receipt", "value": story.item_id}],
        "infosources": [{"name": story.agency or story.source, "role": "originating", "literal": story.source}],
    }
    if story.published_at is not None:
        doc["contentcreated"] = iso(story.published_at)
    if story.embargo_until is not None:
        doc["embargoed"] = iso(story.embargo_until)
    if story.urgency is not None:
        doc["urgency"] = story.urgency
    if language := enriched.language or story.language:
        doc["language"] = language
    if story.byline:
        doc["by"] = ", ".join(story.byline)
    if story.dateline is not None:
        doc["located"] = story.dateline.city
    if story.agency:
        doc["copyrightholder"] = story.agency
    if story.canonical_url:
        doc["altids"].append({"role": "url", "value": story.canonical_url})
    if enriched.summary:
        doc["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": enriched.summary}]
    if ednote := _EDNOTES.get(action):
        doc["ednote"] = ednote
    for key, values in (
        ("subjects", _subjects(enriched)),
        ("people", [_entity(p) for p in enriched.people]),
        ("organisations", [_entity(o) for o in enriched.organisations]),
        ("places", [_place(p) for p in enriched.places]),
    ):
        if values:
            doc[key] = values
    return doc
