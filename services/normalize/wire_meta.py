"""Wire metadata in text: bylines, agencies, datelines and contributors notes (AP, Reuters, AFP...)."""

from __future__ import annotations

import re

from shared.contracts import Dateline

# Spellings of each agency -> the short name stored on the story.
_AGENCIES = {
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "upi": "UPI", "dpa": "dpa", "ansa": "ANSA", "efe": "EFE", "xinhua": "Xinhua",
    "bloomberg": "Bloomberg", "kyodo": "Kyodo", "pa": "PA", "pa media": "PA", "cnn": "CNN",
}  # fmt: skip
_AGENCY = "|".join(re.escape(a) for a in sorted(_AGENCIES, key=len, reverse=True))
# "BRUSSELS (AP) —", "LONDON, Feb 14 (Reuters) -", "Paris (AFP) -", "KANSAS CITY, Mo. (AP) --".
_DATELINE_AGENCY = re.compile(
    r"^(?P<city>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
    r"(?P<extra>,\s*[\w.,'’ ]{1,40}?)?\s*\((?P<agency>(?i:" + _AGENCY + r"))\)\s*(?:[—–-]{1,2}|:)\s+"
)
# "LONDON —" without an agency: only an all-capitals city counts, or prose would match.
_DATELINE_PLAIN = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})(?P<extra>,\s*[A-Z][\w.]{1,12}\.?)?\s+[—–]\s+"
)
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|story by|written by|words by)\s+", re.I)
_BYLINE_AGENCY_TAIL = re.compile(
    r"\s*(?:[,|/·•]|\s[-–—]\s|\s[-–—]|\s(?=\())\s*\(?(?P<agency>" + _AGENCY + r")\)?\s*$", re.I
)
_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|\s+and\s+|&|,|;)\s*", re.I)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|de|da|di|del|van|von|der|den|le|la|bin|al-[\w'’]+)$")
_CONTRIBUTORS = re.compile(
    r"(?:\bcontributed\b.{0,40}\b(?:report|reporting|story|article)\b"
    r"|^(?:additional\s+)?(?:reporting|writing|editing)\s+by\b)",
    re.I,
)


def agency_name(text: str) -> str | None:
    """Return the short agency name for a spelling such as "Associated Press", else None."""
    return _AGENCIES.get(text.strip().strip("()").lower())


def parse_dateline(paragraph: str) -> Dateline | None:
    """Read the dateline at the start of the first body paragraph."""
    match = _DATELINE_AGENCY.match(paragraph) or _DATELINE_PLAIN.match(paragraph)
    if not match:
        return None
    city = match.group("city").strip()
    agency = match.groupdict().get("agency")
    # Without an agency in brackets only an all-capitals city is a dateline ("LONDON —").
    if agency is None and not city.isupper():
        return None
    return Dateline(city=city, agency=agency_name(agency) if agency else None, text=match.group(0).strip())


def parse_byline(line: str) -> tuple[list[str], str | None] | None:
    """Parse "LORNE COOK - AP" or "By Jane Doe and John Roe, Reuters" into (names, agency).

    Returns None when the line is not a byline.
    """
    text = " ".join(line.split())
    if not text or len(text) > 160:
        return None
    prefixed = bool(_BYLINE_PREFIX.match(text))
    text = _BYLINE_PREFIX.sub("", text)
    agency = None
    tail = _BYLINE_AGENCY_TAIL.search(text)
    if tail:
        agency = agency_name(tail.group("agency"))
        text = text[: tail.start()]
    if not prefixed and agency is None:
        return None
    if not text and agency:
        return [], agency
    names = [_name_case(n) for n in _NAME_SPLIT.split(text) if n]
    if not names or not all(_is_name(n) for n in names):
        return None
    return names, agency


def _is_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 5 and len(name) <= 50 and all(_NAME_WORD.match(w) for w in words)


def _name_case(name: str) -> str:
    # Wire bylines shout ("LORNE COOK"); names already in mixed case are kept as written.
    words = name.strip(" .,").split()
    return " ".join(w.title() if w.isupper() and len(w) > 1 else w for w in words)


def is_contributors_note(paragraph: str) -> bool:
    """Tell whether a paragraph is a contributors note ("X contributed to this report.", "Reporting by X")."""
    return len(paragraph) < 600 and bool(_CONTRIBUTORS.search(paragraph))
