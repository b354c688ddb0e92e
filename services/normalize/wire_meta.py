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
# An agency the table does not know is accepted as a capitals abbreviation ("(NWS)", "(ANP)") when
# the city is in capitals too, so "The Union (EU) - ..." in prose is not read as a dateline.
_DATELINE_AGENCY = re.compile(
    r"^(?P<city>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
    r"(?P<extra>,\s*[\w.,'’ ]{1,40}?)?\s*"
    r"\((?:(?P<agency>(?i:" + _AGENCY + r"))|(?P<abbr>[A-Z]{2,6}))\)\s*(?:[—–-]{1,2}|:)\s+"
)
# "LONDON —" without an agency: only an all-capitals city counts, or prose would match.
_DATELINE_PLAIN = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})(?P<extra>,\s*[A-Z][\w.]{1,12}\.?)?\s+[—–]\s+"
)
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|story by|written by|words by)\s+", re.I)
_BYLINE_AGENCY_TAIL = re.compile(
    r"\s*(?:[,|/·•]|\s[-–—]\s|\s[-–—]|\s(?=\())\s*\(?(?P<agency>" + _AGENCY + r")\)?\s*$", re.I
)
# An agency not in the table, named after a dash or comma: "- Nordic Wire Service", ", Baltic News Agency".
_ORG_WORDS = r"(?:wire|wires|service|news|newswire|press|presse|agency|agencia|agenzia|bureau|syndicate|media)"
_BYLINE_ORG_TAIL = re.compile(
    r"\s*(?:[,|/·•]|\s[-–—])\s*(?P<org>(?:[A-Z][\w&'’.-]*\s+){0,4}(?i:" + _ORG_WORDS + r")"
    r"(?:\s+[A-Z][\w&'’.-]*){0,3})\s*$"
)
# With a "By" prefix a bare capitals abbreviation after a dash is an agency too: "By JO AMES - NWS".
_BYLINE_ABBR_TAIL = re.compile(r"\s*(?:[,|/·•]|\s[-–—])\s*\(?(?P<org>[A-Z]{2,6})\)?\s*$")
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


def agency_of(text: str) -> str | None:
    """Return the agency a name stands for: a known one's short name, or an unknown "X Wire Service" as written."""
    known = agency_name(text)
    if known is not None:
        return known
    org = " ".join(text.split())
    return org if _BYLINE_ORG_TAIL.fullmatch(f", {org}") else None


def acronym(name: str) -> str:
    """Initials of a multi-word name in capitals ("Nordic Wire Service" -> "NWS")."""
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def parse_dateline(paragraph: str) -> Dateline | None:
    """Read the dateline at the start of the first body paragraph."""
    match = _DATELINE_AGENCY.match(paragraph) or _DATELINE_PLAIN.match(paragraph)
    if not match:
        return None
    city = match.group("city").strip()
    groups = match.groupdict()
    agency = agency_name(groups["agency"]) if groups.get("agency") else groups.get("abbr")
    # Without a known agency in brackets only an all-capitals city is a dateline ("LONDON —").
    if groups.get("agency") is None and not city.isupper():
        return None
    return Dateline(city=city, agency=agency, text=match.group(0).strip())


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
    org = _BYLINE_ORG_TAIL.search(text) or (_BYLINE_ABBR_TAIL.search(text) if prefixed else None)
    if tail:
        agency = agency_name(tail.group("agency"))
        text = text[: tail.start()]
    elif org:
        agency = " ".join(org.group("org").split())
        text = text[: org.start()]
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


def story_agency(byline_agency: str | None, dateline_agency: str | None) -> str | None:
    """Pick the story's agency: the byline's, shortened to the dateline's abbreviation when that is its acronym.

    "Nordic Wire Service" in the byline and "(NWS)" in the dateline give "NWS", so items of one agency
    carry one name whether or not they have a byline.
    """
    if byline_agency and dateline_agency and acronym(byline_agency) == dateline_agency:
        return dateline_agency
    return byline_agency or dateline_agency


def is_contributors_note(paragraph: str) -> bool:
    """Tell whether a paragraph is a contributors note ("X contributed to this report.", "Reporting by X")."""
    return len(paragraph) < 600 and bool(_CONTRIBUTORS.search(paragraph))
