"""Agency-format parsers (ninjs, NewsML-G2, NITF, IPTC 7901/ANPA): pure functions, bytes in, document out."""

from __future__ import annotations

import orjson

from services.ingest.formats.common import local, malformed, parse_xml
from services.ingest.formats.iptc7901 import decode_wire, looks_like_7901, parse_iptc7901
from services.ingest.formats.newsml_g2 import parse_newsml_g2
from services.ingest.formats.ninjs import looks_like_ninjs, parse_ninjs
from services.ingest.formats.nitf import parse_nitf
from shared.contracts import AgencyDocument
from shared.errors import ErrorCode, PermanentError

__all__ = ["AGENCY_TYPES", "JSON_TYPES", "XML_TYPES", "parse_agency"]

JSON_TYPES = ("application/json", "application/ninjs+json", "application/vnd.iptc.ninjs+json")
XML_TYPES = ("application/xml", "text/xml", "application/nitf+xml", "application/vnd.iptc.g2.newsitem+xml",
             "application/vnd.iptc.g2.newsmessage+xml")
WIRE_TYPES = ("application/x-iptc7901", "text/x-iptc7901", "text/x-anpa1312")
AGENCY_TYPES = JSON_TYPES + XML_TYPES + WIRE_TYPES
"""Media types that are always read as an agency format."""


def parse_agency(data: bytes, media_type: str) -> AgencyDocument | None:
    """Parse ``data`` when it is an agency format; None for ordinary text/HTML wire copy.

    Raises:
        PermanentError: MALFORMED_ITEM when the bytes claim a format but break it;
            UNSUPPORTED_FORMAT for JSON or XML that is no known agency format.

    """
    if media_type in JSON_TYPES:
        return _parse_json(data)
    if media_type in XML_TYPES:
        return _parse_xml(data)
    if media_type in WIRE_TYPES:
        return parse_iptc7901(data)
    if media_type == "text/plain" and looks_like_7901(decode_wire(data[:64])):
        return parse_iptc7901(data)
    return None


def _parse_json(data: bytes) -> AgencyDocument:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise malformed(f"body is not valid JSON: {exc}") from exc
    if not looks_like_ninjs(doc):
        raise PermanentError("JSON body is not a ninjs item (needs uri and headline)",
                             code=ErrorCode.UNSUPPORTED_FORMAT)
    return parse_ninjs(data)


def _parse_xml(data: bytes) -> AgencyDocument:
    root = parse_xml(data, "XML body")
    name = local(root.tag)
    if name in ("newsItem", "newsMessage"):
        return parse_newsml_g2(data)
    if name == "nitf":
        return parse_nitf(data)
    raise PermanentError(f"XML root {name!r} is neither NewsML-G2 nor NITF", code=ErrorCode.UNSUPPORTED_FORMAT)
