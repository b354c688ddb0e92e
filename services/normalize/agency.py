"""Agency items that ingest already parsed (ninjs, NewsML-G2, NITF, IPTC 7901) into a NormalizedStory."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from services.normalize import wire_meta
from services.normalize.language import guess_language
from shared.contracts import AgencyDocument, Dateline, NormalizedStory, PubStatus, RawItem
from shared.errors import ErrorCode, PermanentError
from shared.ids import content_hash
from shared.topics import Stage


def _name_case(name: str) -> str:
    """Agencies often send bylines in capitals ("SAM PRICE"); stories carry them title-cased."""
    return name.title() if name.isupper() else name


def _dateline(doc: AgencyDocument, paragraphs: tuple[str, ...]) -> Dateline | None:
    found = wire_meta.parse_dateline(paragraphs[0]) if paragraphs else None
    if found is not None or not doc.dateline:
        return found
    return Dateline(city=doc.dateline.split(",", 1)[0].strip(), agency=None, text=doc.dateline)


def story_from_agency(raw: RawItem, doc: AgencyDocument, *, now: datetime) -> NormalizedStory:
    """Map the parsed agency fields onto a story; no extraction, the agency already structured it.

    Raises:
        PermanentError: EMPTY_BODY for a usable item with no body text.

    """
    paragraphs = tuple(" ".join(p.split()) for p in doc.body_paragraphs if p.strip())
    if not paragraphs:
        if doc.pubstatus is PubStatus.USABLE:
            raise PermanentError("the agency item has no body text", code=ErrorCode.EMPTY_BODY)
        # A kill or withhold notice may be headline-only; its note is the only text there is.
        paragraphs = (doc.ednote or doc.headline,)
    dateline = _dateline(doc, paragraphs)
    try:
        return NormalizedStory(
            story_id=raw.story_id,
            item_id=raw.item_id,
            source=raw.source,
            content_hash=content_hash((doc.headline, *paragraphs)),
            headline=doc.headline,
            body_paragraphs=paragraphs,
            byline=tuple(_name_case(n) for n in doc.byline),
            agency=doc.agency or (dateline.agency if dateline else None),
            dateline=dateline,
            published_at=doc.published_at,
            updated_at=doc.updated_at,
            language=doc.language or guess_language(doc.headline, list(paragraphs)),
            canonical_url=raw.url,
            input_format=doc.format.value,
            urgency=raw.urgency or doc.urgency,
            embargo_until=raw.embargo_until or doc.embargo_until,
            trace=raw.trace.stamped(Stage.NORMALIZE, now),
            source_pubstatus=doc.pubstatus,
            source_signals=doc.signals,
            source_version=doc.version,
        )
    except ValidationError as exc:
        raise PermanentError(f"agency item is invalid: {exc.errors()[0]['msg']}", code=ErrorCode.NO_ARTICLE) from exc
