"""Every message that crosses a topic: the single source of truth for the wire format.

Rules: models are frozen; every field is described (the descriptions become the
AsyncAPI document); changes within a ``schema_version`` are additive only.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from shared.topics import Stage


def _bytes_from_wire(value: Any) -> Any:
    """Accept raw bytes from Python and base64 text from JSON."""
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error as exc:
            raise ValueError("expected base64-encoded bytes") from exc
    return value


WireBytes = Annotated[
    bytes,
    BeforeValidator(_bytes_from_wire),
    PlainSerializer(lambda b: base64.b64encode(b).decode("ascii"), return_type=str, when_used="json"),
]
"""Bytes that travel as base64 in JSON and stay ``bytes`` in Python."""


class Contract(BaseModel):
    """Base of every wire model: frozen, strict about unknown fields' absence of harm."""

    model_config = ConfigDict(frozen=True, extra="ignore", use_enum_values=False)


class Trace(Contract):
    """When each stage handled the story; end-to-end latency is computed from these."""

    ingested: Annotated[AwareDatetime | None, Field(description="Ingest accepted the item.")] = None
    normalized: Annotated[AwareDatetime | None, Field(description="Normalize emitted the story.")] = None
    enriched: Annotated[AwareDatetime | None, Field(description="Enrich emitted the story.")] = None
    published: Annotated[AwareDatetime | None, Field(description="Publish delivered the version.")] = None

    def stamped(self, stage: Stage, at: datetime) -> Trace:
        """Return a copy with ``stage``'s timestamp set to ``at``."""
        field = {
            Stage.INGEST: "ingested",
            Stage.NORMALIZE: "normalized",
            Stage.ENRICH: "enriched",
            Stage.PUBLISH: "published",
        }[stage]
        return self.model_copy(update={field: at})

    def complete(self) -> bool:
        """True when all four stages stamped the message."""
        return None not in (self.ingested, self.normalized, self.enriched, self.published)


StoryId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="Stable id of the story across re-sends and updates; the Kafka key.",
    ),
]
SchemaVersion = Annotated[Literal[1], Field(description="Version of this message's schema.")]


class PubStatus(StrEnum):
    """Publication status, as in IPTC ninjs."""

    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"


class AgencyFormat(StrEnum):
    """Structured agency formats ingest parses on receipt."""

    NINJS = "ninjs"
    NEWSML_G2 = "newsml-g2"
    NITF = "nitf"
    IPTC7901 = "iptc7901"


class AgencyDocument(Contract):
    """An agency item already parsed into fields, so normalize needs no HTML extraction."""

    schema_version: SchemaVersion = 1
    format: Annotated[AgencyFormat, Field(description="Format the item arrived in.")]
    format_version: Annotated[str | None, Field(description="Version of that format, e.g. '2.1' for ninjs.")] = None
    guid: Annotated[str | None, Field(description="The agency's own id of the item (ninjs uri, G2 guid...).")] = None
    headline: Annotated[str, Field(min_length=1, description="Main headline.")]
    body_paragraphs: Annotated[tuple[str, ...], Field(description="Body text, one entry per paragraph.")] = ()
    byline: Annotated[tuple[str, ...], Field(description="Author names as the agency gave them.")] = ()
    dateline: Annotated[str | None, Field(description="Dateline as written, e.g. 'ROTTERDAM, Nov 27'.")] = None
    agency: Annotated[str | None, Field(description="Provider or copyright holder.")] = None
    language: Annotated[str | None, Field(description="BCP-47 language tag when given.")] = None
    urgency: Annotated[int | None, Field(ge=1, le=9, description="Urgency 1 (flash) to 9.")] = None
    pubstatus: Annotated[PubStatus, Field(description="usable, withheld or canceled.")] = PubStatus.USABLE
    version: Annotated[int | None, Field(ge=1, description="The agency's version number of the item.")] = None
    signals: Annotated[
        tuple[str, ...], Field(description="Version signals: 'update', 'correction', 'kill', 'withhold'...")
    ] = ()
    ednote: Annotated[str | None, Field(description="Editorial note to editors, e.g. a correction notice.")] = None
    published_at: Annotated[AwareDatetime | None, Field(description="First creation time.")] = None
    updated_at: Annotated[AwareDatetime | None, Field(description="Time this version was created.")] = None
    embargo_until: Annotated[AwareDatetime | None, Field(description="Release no earlier than this.")] = None


class RawItem(Contract):
    """One item exactly as a source delivered it (``newswire.raw``)."""

    schema_version: SchemaVersion = 1
    story_id: StoryId
    item_id: Annotated[str, Field(description="Unique id of this receipt (one per accepted item).")]
    source: Annotated[str, Field(min_length=1, description="Id of the source in the sources registry.")]
    source_item_id: Annotated[
        str | None, Field(description="The source's own id for the item (GUID), when it has one.")
    ] = None
    url: Annotated[str | None, Field(description="Where the item was fetched from, if anywhere.")] = None
    content_type: Annotated[str, Field(description="MIME type of ``body`` as received, with charset.")]
    body: Annotated[WireBytes, Field(description="The original bytes, untouched (base64 in JSON).")]
    received_at: Annotated[AwareDatetime, Field(description="When ingest accepted the item.")]
    urgency: Annotated[int | None, Field(ge=1, le=9, description="Source urgency, 1 (flash) to 9.")] = None
    embargo_until: Annotated[
        AwareDatetime | None, Field(description="Deliver to no one before this time.")
    ] = None
    trace: Annotated[Trace, Field(description="Per-stage timestamps.")] = Trace()
    agency_document: Annotated[
        AgencyDocument | None,
        Field(description="The item parsed by ingest when it came in an agency format (ninjs, NITF...)."),
    ] = None


class Dateline(Contract):
    """Where and by whom a story was filed, as written at the top of the body."""

    city: Annotated[str, Field(description="City as written, e.g. BRUSSELS.")]
    agency: Annotated[str | None, Field(description="Agency in the dateline, e.g. AP.")] = None
    text: Annotated[str | None, Field(description="The dateline exactly as it appears.")] = None


class NormalizedStory(Contract):
    """A clean story extracted from a raw item (``newswire.normalized``)."""

    schema_version: SchemaVersion = 1
    story_id: StoryId
    item_id: Annotated[str, Field(description="Receipt id of the raw item this came from.")]
    source: Annotated[str, Field(description="Source id, copied from the raw item.")]
    content_hash: Annotated[
        str, Field(description="sha256 of the normalized content; equal hashes mean equal stories.")
    ]
    headline: Annotated[str, Field(min_length=1, description="Main headline.")]
    body_paragraphs: Annotated[
        tuple[str, ...], Field(min_length=1, description="Body text, one entry per paragraph, in order.")
    ]
    subheadings: Annotated[tuple[str, ...], Field(description="Subheadings found in the body.")] = ()
    byline: Annotated[tuple[str, ...], Field(description="Author names, title-cased.")] = ()
    agency: Annotated[str | None, Field(description="News agency that wrote the story (AP, Reuters...).")] = None
    dateline: Annotated[Dateline | None, Field(description="Dateline of the story.")] = None
    published_at: Annotated[AwareDatetime | None, Field(description="First publication time.")] = None
    updated_at: Annotated[AwareDatetime | None, Field(description="Last update time.")] = None
    language: Annotated[str | None, Field(description="BCP-47 language tag when known.")] = None
    captions: Annotated[tuple[str, ...], Field(description="Photo captions/slugs removed from the body.")] = ()
    contributors: Annotated[str | None, Field(description="Contributors note, e.g. 'X contributed.'")] = None
    site_name: Annotated[str | None, Field(description="Publisher or site the page came from.")] = None
    canonical_url: Annotated[str | None, Field(description="Canonical URL of the page.")] = None
    related_headlines: Annotated[tuple[str, ...], Field(description="Headlines of related links.")] = ()
    fixes: Annotated[tuple[str, ...], Field(description="Names of every repair applied, for audit.")] = ()
    input_format: Annotated[str, Field(description="How the input was read: html, text, ...")] = "text"
    urgency: Annotated[int | None, Field(ge=1, le=9, description="Urgency 1-9 from the source.")] = None
    embargo_until: Annotated[AwareDatetime | None, Field(description="Embargo from the source.")] = None
    trace: Annotated[Trace, Field(description="Per-stage timestamps.")] = Trace()
    source_pubstatus: Annotated[
        PubStatus | None, Field(description="pubstatus the agency sent (agency formats only).")
    ] = None
    source_signals: Annotated[
        tuple[str, ...], Field(description="Agency version signals: 'update', 'correction', 'kill'...")
    ] = ()
    source_version: Annotated[int | None, Field(ge=1, description="The agency's own version number.")] = None


class EntityKind(StrEnum):
    """What kind of thing a named entity is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    EVENT = "event"
    OTHER = "other"


class Entity(Contract):
    """A named entity, canonicalized: all mentions merged under one name."""

    name: Annotated[str, Field(description="Canonical name, titles stripped (e.g. 'Emmanuel Macron').")]
    kind: Annotated[EntityKind, Field(description="Person, organisation, place...")]
    mentions: Annotated[int, Field(ge=1, description="How many times the story mentions it.")] = 1
    salience: Annotated[
        float, Field(ge=0, le=1, description="Importance in the story (headline, lead, frequency).")
    ] = 0.0
    aliases: Annotated[tuple[str, ...], Field(description="Other surface forms seen ('Macron').")] = ()


class Place(Contract):
    """A geocoded place."""

    name: Annotated[str, Field(description="Canonical place name, e.g. 'Brussels'.")]
    country_code: Annotated[str | None, Field(description="ISO 3166-1 alpha-2 code, e.g. 'BE'.")] = None
    lat: Annotated[float | None, Field(ge=-90, le=90, description="Latitude (WGS 84).")] = None
    lon: Annotated[float | None, Field(ge=-180, le=180, description="Longitude (WGS 84).")] = None
    geonames_id: Annotated[int | None, Field(description="GeoNames id when known.")] = None
    feature: Annotated[str, Field(description="'city' or 'country'.")] = "city"
    is_dateline: Annotated[bool, Field(description="True for the place the story was filed from.")] = False
    mentions: Annotated[int, Field(ge=0, description="Mentions in the text.")] = 1


class Subject(Contract):
    """An IPTC Media Topic assigned to the story."""

    code: Annotated[str, Field(description="Media Topic code, e.g. '16000000'.")]
    name: Annotated[str, Field(description="English label, e.g. 'conflict, war and peace'.")]
    uri: Annotated[str, Field(description="http://cv.iptc.org/newscodes/mediatopic/<code>.")]
    score: Annotated[float, Field(ge=0, le=1, description="Confidence of the assignment.")]
    level: Annotated[int, Field(ge=1, description="1 for top-level topics, deeper levels > 1.")] = 1


class Quote(Contract):
    """A direct quotation and who said it."""

    text: Annotated[str, Field(description="The quoted words, without quotation marks.")]
    speaker: Annotated[str | None, Field(description="Canonical name of the person quoted, if resolved.")] = None


class EnrichedStory(Contract):
    """A normalized story plus what enrich learned about it (``newswire.enriched``)."""

    schema_version: SchemaVersion = 1
    story_id: StoryId
    story: Annotated[NormalizedStory, Field(description="The story as normalize produced it.")]
    language: Annotated[str | None, Field(description="Detected language (ISO 639-1).")] = None
    language_score: Annotated[float | None, Field(description="Confidence of the language guess.")] = None
    word_count: Annotated[int, Field(ge=0, description="Words in the body.")]
    reading_time_s: Annotated[int, Field(ge=0, description="Estimated reading time in seconds.")]
    skipped: Annotated[
        tuple[str, ...], Field(description="Enrichment steps skipped, with why (e.g. non-English).")
    ] = ()
    people: Annotated[tuple[Entity, ...], Field(description="People, most salient first.")] = ()
    organisations: Annotated[tuple[Entity, ...], Field(description="Organisations, most salient first.")] = ()
    places: Annotated[tuple[Place, ...], Field(description="Geocoded places, dateline first.")] = ()
    subjects: Annotated[tuple[Subject, ...], Field(description="IPTC Media Topics, best first.")] = ()
    keywords: Annotated[tuple[str, ...], Field(description="Keywords, entities excluded, best first.")] = ()
    quotes: Annotated[tuple[Quote, ...], Field(description="Direct quotes with resolved speakers.")] = ()
    summary: Annotated[str | None, Field(description="Lead summary (first sentences).")] = None
    cluster_id: Annotated[
        str | None, Field(description="Near-duplicate cluster: the same story syndicated elsewhere shares it.")
    ] = None
    duplicate_of: Annotated[
        str | None, Field(description="story_id of the first story of the cluster, if this is a near-duplicate.")
    ] = None
    trace: Annotated[Trace, Field(description="Per-stage timestamps.")] = Trace()


class Action(StrEnum):
    """What a published event does to a story."""

    PUBLISH = "publish"
    UPDATE = "update"
    CORRECT = "correct"
    WITHHOLD = "withhold"
    KILL = "kill"


class StoryPublished(Contract):
    """One delivered version of a story (``newswire.published``)."""

    schema_version: SchemaVersion = 1
    story_id: StoryId
    version: Annotated[int, Field(ge=1, description="Version number, 1 for the first.")]
    action: Annotated[Action, Field(description="What this version does.")]
    pubstatus: Annotated[PubStatus, Field(description="ninjs pubstatus of this version.")] = PubStatus.USABLE
    content_hash: Annotated[str, Field(description="Hash of the content of this version.")]
    headline: Annotated[str, Field(description="Headline of this version.")]
    source: Annotated[str, Field(description="Source id.")]
    language: Annotated[str | None, Field(description="Language of this version.")] = None
    word_count: Annotated[int, Field(ge=0, description="Words in the body.")] = 0
    trace: Annotated[Trace, Field(description="Per-stage timestamps, all four set.")] = Trace()
    urgency: Annotated[int | None, Field(ge=1, le=9, description="Urgency 1 (flash) to 9.")] = None
    embargo_until: Annotated[
        AwareDatetime | None, Field(description="Delivered to no one before this time.")
    ] = None
    ninjs: Annotated[
        dict[str, Any] | None, Field(description="This version as an IPTC ninjs 2.2 document.")
    ] = None


class DeadLetter(Contract):
    """A message a stage could not process, with everything needed to re-drive it (``newswire.dlq``)."""

    schema_version: SchemaVersion = 1
    story_id: Annotated[str | None, Field(description="Story id, when the message had a readable key.")] = None
    stage: Annotated[Stage, Field(description="Stage that gave up.")]
    error_code: Annotated[str, Field(description="Machine-readable reason (see shared.errors.ErrorCode).")]
    error_message: Annotated[str, Field(description="Human-readable reason.")]
    attempts: Annotated[int, Field(ge=1, description="How many times the stage tried.")]
    source_topic: Annotated[str | None, Field(description="Topic the message came from.")] = None
    source_partition: Annotated[int | None, Field(description="Partition it came from.")] = None
    source_offset: Annotated[int | None, Field(description="Offset it had there.")] = None
    original: Annotated[WireBytes, Field(description="The message's original bytes (base64 in JSON).")]
    original_headers: Annotated[
        dict[str, str], Field(description="The message's original headers (values decoded as UTF-8).")
    ] = {}
    failed_at: Annotated[AwareDatetime, Field(description="When the stage gave up.")]
    redrive_of: Annotated[
        str | None, Field(description="Id of the dead letter this message was re-driven from, if any.")
    ] = None
