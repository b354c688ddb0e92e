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


def _distance(span: tuple[int, int], quote: tuple[int, int]) -> int:
    return max(quote[0] - span[1], span[0] - quote[1], 0)


def extract_quotes(paragraphs: Sequence[str], aliases: Mapping[str, str]) -> tuple[Quote, ...]:
    """Quotes in ``paragraphs``; ``aliases`` maps each surface form of a person to its canonical name.

    A quote's speaker is whoever is named, outside quotation marks, closest to it
    in its paragraph; when a bare "he said" is closer, it is the person named
    last before the quote, which is how wire copy attributes a continued quote.
    """
    names = _names_pattern(aliases)
    last_named: str | None = None
    quotes: list[Quote] = []
    for paragraph in paragraphs:
        outside = _QUOTE.sub(lambda m: " " * len(m.group(0)), paragraph)
        named: list[tuple[tuple[int, int], str | None]] = (
            [(m.span(), aliases[m.group(0)]) for m in names.finditer(outside)] if names else []
        )
        pronouns: list[tuple[tuple[int, int], str | None]] = [(m.span(), None) for m in _PRONOUN_SAID.finditer(outside)]
        for match in _QUOTE.finditer(paragraph):
            text = match.group(1).strip().rstrip(",")
            if len(text.split()) < MIN_WORDS:
                continue
            candidates = sorted(named + pronouns, key=lambda c: _distance(c[0], match.span()))
            speaker = candidates[0][1] if candidates else None
            if candidates and speaker is None:
                before = [name for span, name in named if span[1] <= match.start() and name]
                speaker = before[-1] if before else last_named
            quotes.append(Quote(text=text, speaker=speaker))
        if named:
            last_named = named[-1][1]
    return tuple(quotes)
