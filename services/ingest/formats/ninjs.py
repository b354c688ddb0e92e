"""IPTC ninjs 1.x and 2.x JSON into an AgencyDocument."""

from __future__ import annotations

from typing import Any

import orjson

from services.ingest.formats.common import (
    html_paragraphs,
    malformed,
    parse_time,
    squash,
    text_paragraphs,
    urgency_of,
    version_of,
)
from shared.contracts import AgencyDocument, AgencyFormat, PubStatus
from shared.errors import ErrorCode, PermanentError

_TEXT_TYPES = {None, "text", "composite"}


def looks_like_ninjs(doc: object) -> bool:
    """True for a JSON object with ninjs's signature fields."""
    return isinstance(doc, dict) and "uri" in doc and bool({"headline", "headlines", "body_text",
                                                            "bodies", "body_html", "versioncreated"} & doc.keys())


def parse_ninjs(data: bytes) -> AgencyDocument:
    """Parse a ninjs item; 2.x is told from 1.x by ``headlines``/``bodies`` arrays or its schema URI."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise malformed(f"ninjs is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise malformed("ninjs must be a JSON object")
    if not isinstance(doc.get("uri"), str) or not doc["uri"]:
        raise malformed("ninjs item has no uri")
    if doc.get("type") not in _TEXT_TYPES:
        raise PermanentError(f"ninjs item of type {doc.get('type')!r} has no text", code=ErrorCode.UNSUPPORTED_FORMAT)
    v2 = "headlines" in doc or "bodies" in doc or "ninjs-schema_2" in str(doc.get("$schema", ""))
    headline = _main(doc.get("headlines"), "headlines") if v2 else doc.get("headline")
    if not isinstance(headline, str) or not squash(headline):
        raise malformed("ninjs item has no headline")
    return AgencyDocument(
        format=AgencyFormat.NINJS,
        format_version=_schema_version(doc, v2),
        guid=doc["uri"],
        headline=squash(headline),
        body_paragraphs=_body_v2(doc.get("bodies")) if v2 else _body_v1(doc),
        byline=_byline(doc.get("by") if v2 else doc.get("byline")),
        dateline=_dateline(doc),
        agency=_agency(doc),
        language=doc.get("language") if isinstance(doc.get("language"), str) else None,
        urgency=urgency_of(doc.get("urgency")),
        pubstatus=_pubstatus(doc.get("pubstatus")),
        version=version_of(doc.get("version")),
        signals=_signals(doc.get("signals")),
        ednote=squash(doc["ednote"]) or None if isinstance(doc.get("ednote"), str) else None,
        published_at=parse_time(doc.get("firstcreated"), "firstcreated"),
        updated_at=parse_time(doc.get("versioncreated"), "versioncreated"),
        embargo_until=parse_time(doc.get("embargoed"), "embargoed"),
    )


def _schema_version(doc: dict[str, Any], v2: bool) -> str:
    schema = str(doc.get("$schema", ""))
    for known in ("2.1", "2.0", "1.3", "1.2", "1.1", "1.0"):
        if known.replace(".", "_") in schema or known in schema:
            return known
    return "2.x" if v2 else "1.x"


def _main(entries: object, what: str) -> Any:
    """The value of the ``role: main`` entry (or the first one) of a ninjs 2 array."""
    if entries is None:
        return None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise malformed(f"ninjs {what} must be an array of objects")
    chosen = next((e for e in entries if e.get("role") == "main"), entries[0] if entries else {})
    return chosen.get("value")


def _body_v1(doc: dict[str, Any]) -> tuple[str, ...]:
    if isinstance(doc.get("body_text"), str):
        return text_paragraphs(doc["body_text"])
    if isinstance(doc.get("body_html"), str):
        return html_paragraphs(doc["body_html"])
    return ()


def _body_v2(bodies: object) -> tuple[str, ...]:
    value = _main(bodies, "bodies")
    if not isinstance(bodies, list) or value is None:
        return ()
    chosen: dict[str, Any] = next((e for e in bodies if e.get("value") == value), {})
    if not isinstance(value, str):
        raise malformed("ninjs body value must be a string")
    if "html" in str(chosen.get("contenttype", "")):
        return html_paragraphs(value)
    return text_paragraphs(value)


def _byline(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        text = squash(value)
        text = text[3:] if text.lower().startswith("by ") else text
        return tuple(n.strip() for n in text.replace(" and ", ",").split(",") if n.strip())
    return ()


def _dateline(doc: dict[str, Any]) -> str | None:
    located = doc.get("located")
    return squash(located) or None if isinstance(located, str) else None


def _agency(doc: dict[str, Any]) -> str | None:
    for key in ("copyrightholder", "provider"):
        value = doc.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return str(value["name"])
    sources = doc.get("infosources")
    if isinstance(sources, list) and sources and isinstance(sources[0], dict):
        name = sources[0].get("name")
        return str(name) if name else None
    return None


def _pubstatus(value: object) -> PubStatus:
    if value is None:
        return PubStatus.USABLE
    try:
        return PubStatus(str(value).lower())
    except ValueError as exc:
        raise malformed(f"ninjs pubstatus {value!r} is not usable, withheld or canceled") from exc


def _signals(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = [s if isinstance(s, str) else (s.get("name") or s.get("uri")) for s in value if isinstance(s, str | dict)]
    return tuple(str(n).rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower() for n in names if n)
