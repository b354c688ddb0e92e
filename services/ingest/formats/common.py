"""Helpers every agency-format parser shares: safe XML, paragraphs from markup, times, urgency."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import etree

from shared.errors import ErrorCode, PermanentError

# No DTDs, no entity expansion, no network: agency XML comes from outside (XXE, billion laughs).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "hl2"}


def malformed(reason: str) -> PermanentError:
    """The error every parser raises for input that claims its format but breaks it."""
    return PermanentError(reason, code=ErrorCode.MALFORMED_ITEM)


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse XML without DTDs or entities; a syntax error is a malformed item."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise malformed(f"{what} is not well-formed XML: {exc}") from exc
    if root is None:
        raise malformed(f"{what} has no root element")
    if root.getroottree().docinfo.internalDTD is not None:
        raise malformed(f"{what} declares a DTD; entity declarations are refused")
    return root


def local(tag: object) -> str:
    """Element name without its namespace."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def first_named(parent: etree._Element | None, name: str) -> etree._Element | None:
    """First descendant (or ``parent`` itself) named ``name``, in any namespace."""
    if parent is None:
        return None
    return next((e for e in parent.iter() if local(e.tag) == name), None)


def text_of(parent: etree._Element | None, name: str) -> str | None:
    """Whitespace-squashed text of the first element named ``name``, or None."""
    found = first_named(parent, name)
    return squash("".join(found.itertext())) or None if found is not None else None


def squash(text: str | None) -> str:
    """Collapse runs of whitespace to single spaces."""
    return " ".join((text or "").split())


def paragraphs_of(element: etree._Element) -> tuple[str, ...]:
    """Text of each block element (p, li, h1...) under ``element``; bare text when there are none."""
    blocks = [squash("".join(e.itertext())) for e in element.iter() if local(e.tag) in _BLOCKS]
    found = tuple(b for b in blocks if b)
    if found:
        return found
    return text_paragraphs("".join(element.itertext()))


def html_paragraphs(markup: str) -> tuple[str, ...]:
    """Paragraphs of an HTML fragment (a ninjs body_html), parsed leniently."""
    from lxml import html

    if not markup.strip():
        return ()
    return paragraphs_of(html.fragment_fromstring(markup, create_parent="div"))


def text_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of plain text: blank-line separated, or one per line when there are no blank lines."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    if len(chunks) == 1:
        chunks = text.splitlines()
    return tuple(p for p in (squash(c) for c in chunks) if p)


def parse_time(value: object, what: str) -> datetime | None:
    """An ISO 8601 (or NITF ``20261127T1200Z``-style) time; naive times are taken as UTC."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise malformed(f"{what} is not a time string")
    text = value.strip()
    compact = re.fullmatch(r"(\d{8})T(\d{4})(\d{2})?([+-]\d{4}|Z)?", text)
    if compact:
        day, hm, sec, zone = compact.groups()
        text = f"{day[:4]}-{day[4:6]}-{day[6:]}T{hm[:2]}:{hm[2:]}:{sec or '00'}{zone or ''}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise malformed(f"{what} is not a valid time: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def urgency_of(value: object, what: str = "urgency") -> int | None:
    """Urgency as 1-9; agency scales that stop at 8 fit inside, anything else is malformed."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise malformed(f"{what} is not a number: {value!r}") from exc
    if not 1 <= number <= 9:
        raise malformed(f"{what} {number} is outside 1-9")
    return number


def version_of(value: object) -> int | None:
    """A positive version number, or None when absent or not numeric (some agencies send '1.0')."""
    match = re.match(r"\s*(\d+)", str(value)) if value is not None else None
    number = int(match.group(1)) if match else 0
    return number if number >= 1 else None
