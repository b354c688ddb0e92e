"""IPTC NITF 3.x XML into an AgencyDocument."""

from __future__ import annotations

from lxml import etree

from services.ingest.formats.common import (
    first_named,
    local,
    malformed,
    paragraphs_of,
    parse_time,
    parse_xml,
    squash,
    text_of,
    urgency_of,
    version_of,
)
from shared.contracts import AgencyDocument, AgencyFormat, PubStatus

# NITF's management-status has "embargoed" too; the embargo time itself is date.release.
_STATUS = {"usable": PubStatus.USABLE, "embargoed": PubStatus.USABLE,
           "withheld": PubStatus.WITHHELD, "canceled": PubStatus.CANCELED}






def parse_nitf(data: bytes) -> AgencyDocument:
    """Parse a NITF document: hedline/hl1, byline, dateline, body.content, docdata for status and times."""
    root = parse_xml(data, "NITF")
    if local(root.tag) != "nitf":
        raise malformed(f"NITF root element is {local(root.tag)!r}, not 'nitf'")
    head, body = first_named(root, "head"), first_named(root, "body")
    docdata = first_named(head, "docdata")
    headline = text_of(first_named(body, "hedline"), "hl1") or text_of(head, "title")
    if not headline:
        raise malformed("NITF document has no hl1 or title")
    status = (docdata.get("management-status") if docdata is not None else None) or "usable"
    if status not in _STATUS:
        raise malformed(f"NITF management-status {status!r} is not one NITF defines")
    urgency = first_named(docdata, "urgency")
    doc_id, du_key = first_named(docdata, "doc-id"), first_named(docdata, "du-key")
    release, issue = first_named(docdata, "date.release"), first_named(docdata, "date.issue")
    copyright_ = first_named(docdata, "doc.copyright")
    return AgencyDocument(
        format=AgencyFormat.NITF,
        format_version=root.get("version") or root.get("change.version"),
        guid=doc_id.get("id-string") if doc_id is not None else None,
        headline=headline,
        body_paragraphs=_paragraphs(body),
        byline=tuple(_bylines(body)),
        dateline=_dateline(body),
        agency=copyright_.get("holder") if copyright_ is not None else None,
        language=root.get("{http://www.w3.org/XML/1998/namespace}lang") or _lang(head),
        urgency=urgency_of(urgency.get("ed-urg") if urgency is not None else None, "ed-urg"),
        pubstatus=_STATUS[status],
        version=version_of(du_key.get("version") if du_key is not None else None),
        signals=_signals(docdata),
        ednote=_ednote(docdata),
        published_at=parse_time(issue.get("norm") if issue is not None else None, "date.issue"),
        embargo_until=parse_time(release.get("norm") if release is not None else None, "date.release"),
    )


def _paragraphs(body: etree._Element | None) -> tuple[str, ...]:
    content = first_named(body, "body.content")
    return paragraphs_of(content) if content is not None else ()


def _bylines(body: etree._Element | None) -> list[str]:
    names: list[str] = []
    for byline in (e for e in (body.iter() if body is not None else ()) if local(e.tag) == "byline"):
        person = text_of(byline, "person")
        text = person or squash(byline.text or "".join(byline.itertext()))
        text = text[3:] if text.lower().startswith("by ") else text
        names.extend(n.strip() for n in text.replace(" and ", ",").split(",") if n.strip())
    return names


def _dateline(body: etree._Element | None) -> str | None:
    dateline = first_named(body, "dateline")
    return squash("".join(dateline.itertext())) or None if dateline is not None else None


def _lang(head: etree._Element | None) -> str | None:
    meta = next((e for e in (head.iter() if head is not None else ()) if local(e.tag) == "meta"
                 and e.get("name", "").lower() in ("language", "lang")), None)
    return meta.get("content") if meta is not None else None


def _signals(docdata: etree._Element | None) -> tuple[str, ...]:
    signals = []
    if first_named(docdata, "correction") is not None:
        signals.append("correction")
    ed_msg = first_named(docdata, "ed-msg")
    kind = (ed_msg.get("msg-type") or "").lower() if ed_msg is not None else ""
    if kind:
        signals.append(kind)
    return tuple(dict.fromkeys(signals))


def _ednote(docdata: etree._Element | None) -> str | None:
    correction, ed_msg = first_named(docdata, "correction"), first_named(docdata, "ed-msg")
    notes = [e.get("info") for e in (correction, ed_msg) if e is not None and e.get("info")]
    return " ".join(n for n in notes if n) or None
