"""IPTC NewsML-G2 (a ``newsItem``, alone or the first one in a ``newsMessage``) into an AgencyDocument."""

from __future__ import annotations

from lxml import etree

from services.ingest.formats.common import (
    local,
    malformed,
    paragraphs_of,
    parse_time,
    parse_xml,
    squash,
    text_paragraphs,
    urgency_of,
    version_of,
)
from shared.contracts import AgencyDocument, AgencyFormat, PubStatus


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    """First descendant named ``name`` in any namespace."""
    if parent is None:
        return None
    return next((e for e in parent.iter() if local(e.tag) == name), None)


def _text(parent: etree._Element | None, name: str) -> str | None:
    found = _child(parent, name)
    return squash("".join(found.itertext())) or None if found is not None else None


def _qcode_tail(element: etree._Element | None) -> str | None:
    """``stat:usable`` → ``usable``; ``http://cv.iptc.org/newscodes/pubstatusg2/usable`` → ``usable``."""
    if element is None:
        return None
    code = element.get("qcode") or element.get("uri") or ""
    return code.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower() or None


def parse_newsml_g2(data: bytes) -> AgencyDocument:
    """Parse a NewsML-G2 text item; the body may be inline NITF, XHTML or plain text."""
    root = parse_xml(data, "NewsML-G2")
    item = root if local(root.tag) == "newsItem" else _child(root, "newsItem")
    if item is None:
        raise malformed("NewsML-G2 document has no newsItem")
    guid = item.get("guid")
    if not guid:
        raise malformed("NewsML-G2 newsItem has no guid")
    meta, content = _child(item, "itemMeta"), _child(item, "contentMeta")
    headline = _text(content, "headline")
    if not headline:
        raise malformed("NewsML-G2 newsItem has no headline")
    status = _qcode_tail(_child(meta, "pubStatus")) or "usable"
    try:
        pubstatus = PubStatus(status)
    except ValueError as exc:
        raise malformed(f"NewsML-G2 pubStatus {status!r} is not usable, withheld or canceled") from exc
    signals = tuple(s for s in (_qcode_tail(e) for e in (meta.iter() if meta is not None else ())
                                if local(e.tag) == "signal") if s)
    provider = _child(meta, "provider")
    language = _child(content, "language")
    return AgencyDocument(
        format=AgencyFormat.NEWSML_G2,
        format_version=item.get("standardversion"),
        guid=guid,
        headline=headline,
        body_paragraphs=_body(_child(item, "contentSet")),
        byline=tuple(_by(content)),
        dateline=_text(content, "dateline"),
        agency=_provider_name(provider),
        language=(language.get("tag") if language is not None else None) or item.get("{http://www.w3.org/XML/1998/namespace}lang"),
        urgency=urgency_of(_text(content, "urgency")),
        pubstatus=pubstatus,
        version=version_of(item.get("version")),
        signals=signals,
        ednote=_text(meta, "edNote"),
        published_at=parse_time(_text(meta, "firstCreated"), "firstCreated"),
        updated_at=parse_time(_text(meta, "versionCreated"), "versionCreated"),
        embargo_until=parse_time(_text(meta, "embargoed"), "embargoed"),
    )


def _by(content: etree._Element | None) -> list[str]:
    text = _text(content, "by") or ""
    text = text[3:] if text.lower().startswith("by ") else text
    return [n.strip() for n in text.replace(" and ", ",").split(",") if n.strip()]


def _provider_name(provider: etree._Element | None) -> str | None:
    if provider is None:
        return None
    name = _text(provider, "name")
    return name or _qcode_tail(provider)


def _body(content_set: etree._Element | None) -> tuple[str, ...]:
    if content_set is None:
        return ()
    for element in content_set:
        kind = local(element.tag)
        if kind == "inlineXML":
            body = _child(element, "body.content")
            body = body if body is not None else _child(element, "body")
            return paragraphs_of(body if body is not None else element)
        if kind == "inlineData":
            return text_paragraphs(element.text or "")
    return ()
