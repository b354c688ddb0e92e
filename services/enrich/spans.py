"""Rules that add or retype NER spans where the small model is weak: titled people, headed organisations."""

from __future__ import annotations

import re
from collections.abc import Sequence

from services.enrich.entities import Mention

_TITLED_NAME = re.compile(
    r"\b(?:President|Chancellor|Minister|Secretary|Secretary-General|Gen\.|General|Sen\.|Senator|Rep\.|Gov\."
    r"|Governor|Mayor|King|Queen|Prince|Pope|Judge|Dr\.|[Cc]oach|[Mm]anager|[Ss]pokesman|[Ss]pokeswoman"
    r"|[Cc]aptain|[Ss]triker|[Dd]efender|[Gg]oalkeeper|CEO)\s+"
    r"((?:[A-Z][\w’'-]+\s+){1,2}[A-Z][\w’'-]+)"
)


def titled_people(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` with every "<title> Firstname Lastname" a person, as the title says.

    The small NER model misses or mistypes some of these ("Chancellor Olaf Scholz"
    as ORG, "coach Mikel Arteta" not at all); the title is stronger evidence.
    """
    out = list(mentions)
    for match in _TITLED_NAME.finditer(text):
        start, end = match.span(1)
        overlapping = [m for m in out if m.start < end and start < m.end]
        if any(m.label == "PERSON" for m in overlapping):
            continue
        if overlapping:
            drop = set(overlapping)
            out = [m for m in out if m not in drop]
        out.append(Mention(match.group(1), "PERSON", start, end))
    return sorted(out, key=lambda m: m.start)


_HEADED_ORG = re.compile(
    r"\b((?:[A-Z][\w’'-]+\s+){1,4}(?:Centre|Center|Institute|University|Council|Committee|Commission|Agency"
    r"|Foundation|Association|Ministry|Party|Bank|Fund|Organization|Organisation|Court|Federation))\b"
)


def headed_organisations(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` plus capitalised names ending in an organisation head word the NER missed.

    "a European Policy Centre think tank" reads to the small model as an adjective
    and nouns; "Centre" after capitalised words names an organisation.
    """
    out = list(mentions)
    for match in _HEADED_ORG.finditer(text):
        start, end = match.span(1)
        overlapping = [m for m in out if m.start < end and start < m.end]
        if any(m.label in ("ORG", "PERSON", "FAC", "EVENT") for m in overlapping):
            continue
        if overlapping:
            drop = set(overlapping)
            out = [m for m in out if m not in drop]
        out.append(Mention(match.group(1), "ORG", start, end))
    return sorted(out, key=lambda m: m.start)
