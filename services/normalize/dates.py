"""Publication dates: ISO strings from JSON-LD/meta tags and visible date lines in English."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Offsets of the zone abbreviations news pages print next to a time.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "IST": 5.5, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:(?:,|\s+at|\s*[-|·])?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
    r"\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<zone>[A-Z]{1,4}\b)?)?"
)
_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I)
_DMY = re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME, re.I)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
# "Today: ..." lines show the day the page was scraped, never when the story was published.
TODAY_LINE = re.compile(r"^\s*today\s*(?:is)?\s*[:,-]?\s*", re.I)
UPDATED_LINE = re.compile(r"^\s*(?:last\s+)?updated?\b", re.I)


def parse_iso(value: str) -> datetime | None:
    """Parse an ISO-8601 date or datetime; a value without zone is taken as UTC."""
    match = _ISO.search(value.strip())
    if not match:
        return None
    try:
        parsed = datetime.fromisoformat(match.group(0).replace(" ", "T"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_visible_date(text: str) -> datetime | None:
    """Find an English date ("February 14, 2025 10:05 AM EST", "14 Feb 2025") or ISO date in ``text``.

    A date without a time is midnight UTC of that day, since the contract needs an aware
    datetime; a time without zone is UTC too.
    """
    for pattern in (_MDY, _DMY):
        match = pattern.search(text)
        if match:
            return _from_match(match)
    return parse_iso(text) if _ISO.search(text) else None


def _from_match(match: re.Match[str]) -> datetime | None:
    month = _MONTHS[match.group("month").lower()]
    hour = int(match.group("hour") or 0)
    minute = int(match.group("minute") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    zone = _ZONES.get((match.group("zone") or "UTC").upper(), 0)
    try:
        local = datetime(int(match.group("year")), month, int(match.group("day")), hour, minute)
    except ValueError:
        return None
    return local.replace(tzinfo=timezone(timedelta(hours=zone)))


def is_date_line(line: str) -> bool:
    """Tell whether a short line is mostly a date (a dateline of the page, not prose)."""
    if len(line) > 80 or len(line.split()) > 12:
        return False
    return parse_visible_date(line) is not None
