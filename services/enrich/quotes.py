"""Direct quotes and who said them: the speaker is a person entity, pronouns resolved to the last one named."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from shared.contracts import Quote

_QUOTE = re.compile(r"[“\"]([^“”\"]{3,}?)[”\"]")
_PRONOUN_SAID = re.compile(
    r"\b(?:he|she)\s+(?:said|says|told|added|warned|insisted|asked|wrote|noted|explained)\b", re.IGNORECASE
)
MIN_WORDS = 3
"""Shorter quoted strings are scare quotes or titles ("critical"), not statements."""


def _names_pattern(aliases: Mapping[str, str]) -> re.Pattern[str] | None:
    forms = sorted(aliases, key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")


def extract_quotes(paragraphs: Sequence[str], aliases: Mapping[str, str]) -> tuple[Quote, ...]:
    """Quotes in ``paragraphs``; ``aliases`` maps each surface form of a person to its canonical name.

    The speaker is the person named outside the quotation marks in the same
    paragraph; a bare "he said" goes to the person most recently named before
    (outside quotes), which is how wire copy attributes a continued quote.
    """
    names = _names_pattern(aliases)
    last_named: str | None = None
    quotes: list[Quote] = []
    for paragraph in paragraphs:
        found = list(_QUOTE.finditer(paragraph))
        outside = _QUOTE.sub(lambda m: " " * len(m.group(0)), paragraph)
        named = [aliases[m.group(0)] for m in names.finditer(outside)] if names else []
        speaker = named[0] if named else (last_named if _PRONOUN_SAID.search(outside) else None)
        for match in found:
            text = match.group(1).strip().rstrip(",")
            if len(text.split()) >= MIN_WORDS:
                quotes.append(Quote(text=text, speaker=speaker))
        if named:
            last_named = named[-1]
    return tuple(quotes)
