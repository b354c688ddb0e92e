"""Normalize: raw item bytes in, one clean story out (pure; no broker, clock or environment)."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from services.normalize import wire_meta
from services.normalize.draft import DraftStory, unique
from services.normalize.encoding import charset_from_content_type, check_size, decode_bytes
from services.normalize.html_extract import extract_html
from services.normalize.language import guess_language
from services.normalize.mojibake import repair_text
from services.normalize.sniff import InputFormat, sniff_format
from services.normalize.text_scrape import extract_text
from shared.contracts import Dateline, NormalizedStory, RawItem
from shared.errors import ErrorCode, PermanentError
from shared.ids import content_hash, fold, story_id_for_content
from shared.topics import Stage

__all__ = ["InputFormat", "normalize"]

# Paragraph separator used to repair many strings in one ftfy pass (faster than one call each).
_JOIN = "\n\n"


def normalize(
    raw: RawItem, *, now: datetime, max_bytes: int, force_format: InputFormat | None = None
) -> NormalizedStory:
    """Turn a raw item into a normalized story, or raise a PermanentError with a code.

    Args:
        raw: The item as ingest received it.
        now: When normalize handled it (stamped on the trace).
        max_bytes: Inputs larger than this are rejected with INPUT_TOO_LARGE.
        force_format: Read the input as HTML or text regardless of sniffing.

    Raises:
        PermanentError: EMPTY_INPUT, INPUT_TOO_LARGE, BINARY_INPUT, UNDECODABLE_TEXT or NO_ARTICLE.

    """
    if raw.agency_document is not None:  # ingest parsed an agency format: nothing to extract
        from services.normalize.agency import story_from_agency

        return story_from_agency(raw, raw.agency_document, now=now)
    check_size(raw.body, max_bytes)
    text, fixes = decode_bytes(raw.body, declared=charset_from_content_type(raw.content_type))
    if not text.strip():
        raise PermanentError("the item has no text", code=ErrorCode.EMPTY_INPUT)
    fmt = force_format or sniff_format(text)
    if fmt is InputFormat.HTML:
        draft = extract_html(text)
        _repair_draft(draft)
    else:
        text, repairs = repair_text(text)
        fixes.extend(repairs)
        draft = extract_text(text)
    draft.fixes[:0] = fixes
    return _finish(raw, draft, fmt, now)


def _repair_draft(draft: DraftStory) -> None:
    """Repair mojibake in every extracted string with one pass over the joined text."""
    parts = [draft.headline, *draft.paragraphs, *draft.subheadings, *draft.captions, *draft.related_headlines]
    if all(p.isascii() for p in parts):
        return
    fixed, repairs = repair_text(_JOIN.join(p.replace("\n", " ") for p in parts))
    pieces = fixed.split(_JOIN)
    if len(pieces) != len(parts):  # a repair merged or split parts: keep the text as extracted
        return
    draft.fixes.extend(repairs)
    sizes = [1, len(draft.paragraphs), len(draft.subheadings), len(draft.captions)]
    draft.headline = pieces[0]
    offsets = [sum(sizes[: i + 1]) for i in range(len(sizes))]
    draft.paragraphs = pieces[offsets[0] : offsets[1]]
    draft.subheadings = pieces[offsets[1] : offsets[2]]
    draft.captions = pieces[offsets[2] : offsets[3]]
    draft.related_headlines = pieces[offsets[3] :]


def _finish(raw: RawItem, draft: DraftStory, fmt: InputFormat, now: datetime) -> NormalizedStory:
    headline = " ".join(draft.headline.split())
    # The headline repeated as the first paragraph is page furniture, not body text. Folding is
    # slow, so only paragraphs about the headline's length are compared.
    key, size, slack = fold(headline), len(headline), len(headline) // 4 + 4
    paragraphs = [
        p
        for p in (" ".join(p.split()) for p in draft.paragraphs)
        if p and (abs(len(p) - size) > slack or fold(p) != key)
    ]
    if not headline or not paragraphs or not any(any(c.isalpha() for c in p) for p in paragraphs):
        raise PermanentError("no headline and body found", code=ErrorCode.NO_ARTICLE)
    dateline = wire_meta.parse_dateline(paragraphs[0])
    agency = wire_meta.story_agency(draft.agency, dateline.agency if dateline else None)
    if dateline is not None and dateline.agency is None and agency is not None:
        dateline = Dateline(city=dateline.city, agency=agency, text=dateline.text)
    story_id = raw.story_id
    if raw.source_item_id is None and raw.url is None:
        day = (draft.published_at or raw.received_at).date().isoformat()
        story_id = story_id_for_content(raw.source, headline, day)
    try:
        return NormalizedStory(
            story_id=story_id,
            item_id=raw.item_id,
            source=raw.source,
            content_hash=content_hash((headline, *paragraphs)),
            headline=headline,
            body_paragraphs=tuple(paragraphs),
            subheadings=tuple(s for s in unique(draft.subheadings) if s in paragraphs),
            byline=tuple(unique(draft.byline)),
            agency=agency,
            dateline=dateline,
            published_at=draft.published_at,
            updated_at=draft.updated_at,
            language=draft.language or guess_language(headline, paragraphs),
            captions=tuple(unique(draft.captions)),
            contributors=draft.contributors,
            site_name=draft.site_name,
            canonical_url=draft.canonical_url or raw.url,
            related_headlines=tuple(unique(draft.related_headlines)),
            fixes=tuple(unique(draft.fixes)),
            input_format=fmt.value,
            urgency=raw.urgency,
            embargo_until=raw.embargo_until,
            trace=raw.trace.stamped(Stage.NORMALIZE, now),
        )
    except ValidationError as exc:  # e.g. a headline of 1 char after cleaning: still bad input
        raise PermanentError(
            f"extracted story is invalid: {exc.errors()[0]['msg']}", code=ErrorCode.NO_ARTICLE
        ) from exc
