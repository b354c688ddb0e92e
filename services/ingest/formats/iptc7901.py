"""IPTC 7901 / ANPA 1312 plain-text wire (SOH header, STX text, ETX) into an AgencyDocument.

The header between SOH and STX holds a selector or message number, a priority (ANPA
letter ``f b u r d a`` or IPTC 7901 digit 1-6), a category, the keyword slug and version
words ("2nd Ld-Writethru", "CORRECTION", "KILL"). In the text, ``^...<`` lines are the
headline, the byline and editors' notes; indented lines start paragraphs.
"""

from __future__ import annotations

import re

from services.ingest.formats.common import malformed, parse_time, squash
from shared.contracts import AgencyDocument, AgencyFormat, PubStatus

SOH, STX, ETX = "\x01", "\x02", "\x03"
_ANPA_PRIORITY = {"f": 1, "b": 2, "u": 3, "r": 5, "d": 7, "a": 7}
_LEAD = re.compile(r"\b(\d+)(?:st|nd|rd|th)\s*ld\b", re.IGNORECASE)
_EMBARGO = re.compile(r"\b(?:embargoed\s+until|embargo(?:ed)?\s*:|hold\s+for\s+release(?:\s+until)?)\s*(\S+)",
                      re.IGNORECASE)
_TRAILER = re.compile(r"^\S*\s*\d{4,6}\s*(?:GMT|UTC)\b.*$|^[A-Za-z]{2,4}-[A-Za-z]{2,4}-\S+$", re.IGNORECASE)
_DATELINE = re.compile(r"^([A-Z][A-Z .'-]+(?:,\s[^—(]{1,40})?(?:\s\([^)]{1,20}\))?)\s+(?:—|--)\s+")


def looks_like_7901(text: str) -> bool:
    """True when the text opens with SOH (after optional SYN padding) as 7901/ANPA transmissions do."""
    return text.lstrip("\x16\r\n ").startswith(SOH)


def decode_wire(data: bytes) -> str:
    """7901/ANPA is 7- or 8-bit: UTF-8 when it decodes, else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_iptc7901(data: bytes) -> AgencyDocument:
    """Parse one transmission; a missing STX or ETX means a truncated or corrupt transmission."""
    text = decode_wire(data).lstrip("\x16\r\n ")
    if not text.startswith(SOH):
        raise malformed("IPTC 7901 transmission does not start with SOH")
    if STX not in text:
        raise malformed("IPTC 7901 transmission has no STX (start of text)")
    header, rest = text[1:].split(STX, 1)
    if ETX not in rest:
        raise malformed("IPTC 7901 transmission has no ETX (end of text): truncated?")
    lines = rest.split(ETX, 1)[0].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    marked = [squash(line.strip().lstrip("^").rstrip("<")) for line in lines if line.strip().startswith("^")]
    notes = [m for m in marked if re.match(r"(eds?|editors?)\s*:", m, re.IGNORECASE)]
    bylines = [m for m in marked if m.lower().startswith("by ")]
    titles = [m for m in marked if m not in notes and m not in bylines]
    paragraphs = _paragraphs([line for line in lines if not line.strip().startswith("^")])
    if not titles and paragraphs:
        titles, paragraphs = [paragraphs[0]], paragraphs[1:]
    if not titles:
        raise malformed("IPTC 7901 transmission has no text")
    tokens = header.split()
    words = " ".join([header, *notes])
    signals, pubstatus = _signals(words)
    lead = _LEAD.search(header)
    embargo = _EMBARGO.search(words)
    dateline = _DATELINE.match(paragraphs[0]) if paragraphs else None
    return AgencyDocument(
        format=AgencyFormat.IPTC7901,
        # The keyword slug stays the same across leads and write-thrus; selector numbers do not.
        guid=next((t for t in tokens if "-" in t and t[:1].isalpha()), None),
        headline=titles[0],
        body_paragraphs=tuple(paragraphs),
        byline=tuple(n.strip() for b in bylines for n in b[3:].replace(" and ", ",").split(",") if n.strip()),
        dateline=dateline.group(1) if dateline else None,
        urgency=_priority(tokens),
        pubstatus=pubstatus,
        version=int(lead.group(1)) + 1 if lead else None,
        signals=signals,
        ednote=" ".join(notes) or None,
        embargo_until=parse_time(embargo.group(1).rstrip(".,;"), "embargo") if embargo else None,
    )


def _priority(tokens: list[str]) -> int | None:
    for token in tokens[1:4]:
        if token.lower() in _ANPA_PRIORITY:
            return _ANPA_PRIORITY[token.lower()]
        if token.isdigit() and len(token) == 1 and 1 <= int(token) <= 6:
            return int(token)
    return None


def _signals(words: str) -> tuple[tuple[str, ...], PubStatus]:
    lower = words.lower()
    signals = []
    status = PubStatus.USABLE
    if _LEAD.search(words) or "writethru" in lower or "update" in lower:
        signals.append("update")
    if "correct" in lower:
        signals.append("correction")
    if re.search(r"\b(kill|eliminate)\b", lower):
        signals.append("kill")
        status = PubStatus.CANCELED
    elif re.search(r"\bwithh(old|eld)\b", lower):
        signals.append("withhold")
        status = PubStatus.WITHHELD
    return tuple(signals), status


def _paragraphs(lines: list[str]) -> list[str]:
    """Indented lines and blank lines start paragraphs; other lines continue the current one."""
    paragraphs: list[list[str]] = []
    for line in lines:
        if not line.strip():
            paragraphs.append([])
            continue
        if line[:1] in ("\t", " ") or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    joined = [squash(" ".join(p)) for p in paragraphs]
    kept = [p for p in joined if p]
    if kept and _TRAILER.match(kept[-1]):
        kept.pop()  # the transmission trailer (e.g. "NWS-NY 271530 GMT"), not story text
    return kept
