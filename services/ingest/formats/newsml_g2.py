"""IPTC NewsML-G2 (a ``newsItem``, alone or the first one in a ``newsMessage``) into an AgencyDocument."""

from __future__ import annotations

from lxml import etree

from services.ingest.formats.common import (
    first_named,
    local,
    malformed,
    paragraphs_of,
    parse_time,
    parse_xml,
    text_of,
    text_paragraphs,
    urgency_of,
    version_of,
)
from shared.contracts import AgencyDocument, AgencyFormat, PubStatus


def _qcode_tail(element: etree._Element | None) -> str | None:
    """``stat:usable`` → ``usable``; ``http://cv.iptc.org/newscodes/pubstatusg2/usable`` → ``usable``."""
    if element is None:
        return None
    code = element.get("qcode") or element.get("uri") or ""
    return code.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower() or None


def parse_newsml_g2(data: bytes) -> AgencyDocument:
    """Parse a NewsML-G2 text item; the body may be inline NITF, XHTML or plain text."""
    root = parse_xml(data, "NewsML-G2")
    item = root if local(root.tag) == "newsItem" else first_named(root, "newsItem")
    if item is None:
        raise malformed("NewsML-G2 document has no newsItem")
    guid = item.get("guid")
    if not guid:
        raise malformed("NewsML-G2 newsItem has no guid")
    meta, content = first_named(item, "itemMeta"), first_named(item, "contentMeta")
    headline = text_of(content, "headline")
    if not headline:
        raise malformed("NewsML-G2 newsItem has no headline")
    status = _qcode_tail(first_named(meta, "pubStatus")) or "usable"
    try:
        pubstatus = PubStatus(status)
    except ValueError as exc:
        raise malformed(f"NewsML-G2 pubStatus {status!r} is not usable, withheld or canceled") from exc
    signals = tuple(s for s in (_qcode_tail(e) for e in (meta.iter() if meta is not None else ())
                                if local(e.tag) == "signal") if s)
    provider = first_named(meta, "provider")
    language = first_named(content, "language")
    return AgencyDocument(
        format=AgencyFormat.NEWSML_G2,
        format_version=item.get("standardversion"),
        guid=guid,
        headline=headline,
        body_paragraphs=_body(first_named(item, "contentSet")),
        byline=tuple(_by(content)),
        dateline=text_of(content, "dateline"),
        agency=_provider_name(provider),
        language=(language.get("tag") if language is not None else None) or item.get("{http://www.w3.org/XML/1998/namespace}lang"),
        urgency=urgency_of(text_of(content, "urgency")),
        pubstatus=pubstatus,
        version=version_of(item.get("version")),
        signals=signals,
        ednote=text_of(meta, "edNote"),
        published_at=parse_time(text_of(meta, "firstCreated"), "firstCreated"),
        updated_at=parse_time(text_of(meta, "versionCreated"), "versionCreated"),
        embargo_until=parse_time(text_of(meta, "embargoed"), "embargoed"),
    )


def _by(content: etree._Element | None) -> list[str]:
    text = text_of(content, "by") or ""
    text = text[3:] if text.lower().startswith("by ") else text
    return [n.strip() for n in text.replace(" and ", ",").split(",") if n.strip()]


def _provider_name(provider: etree._Element | None) -> str | None:
    if provider is None:
        return None
    name = text_of(provider, "name")
    return name or _qcode_tail(provider)


def _body(content_set: etree._Element | None) -> tuple[str, ...]:
    if content_set is None:
        return ()
    for element in content_set:
        kind = local(element.tag)
        if kind == "inlineXML":
            body = first_named(element, "body.content")
            body = body if body is not None else first_named(element, "body")
            return paragraphs_of(body if body is not None else element)
        if kind == "inlineData":
            return text_paragraphs(element.text or "")
    return ()
