"""Lead summary and keywords: the opening sentences without the dateline; frequent non-entity words (pure)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from services.enrich.text import STOP, stem, tokens

_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"]))\s+(?=[“\"]?[A-Z])")
SUMMARY_MAX_WORDS = 60
HEADLINE_WEIGHT = 3


def summary(paragraphs: Sequence[str]) -> str | None:
    """The lead: first sentences of the body up to ~60 words, dateline removed."""
    if not paragraphs:
        return None
    lead = _DATELINE.sub("", paragraphs[0], count=1)
    picked: list[str] = []
    words = 0
    for sentence in _SENTENCE_END.split(lead):
        if picked and words + len(sentence.split()) > SUMMARY_MAX_WORDS:
            break
        picked.append(sentence)
        words += len(sentence.split())
    return " ".join(picked).strip() or None


@functools.lru_cache(maxsize=1 << 16)
def _candidate(token: str) -> tuple[str, str] | None:
    """(stem, folded form) of a keyword candidate, or None for a short, stop or capitalised word."""
    low = token.casefold().replace("’", "'").removesuffix("'s")
    if len(low) > 3 and low not in STOP and not token[:1].isupper():
        return stem(low), low  # "troops" and "troop" are one keyword, shown as written most often
    return None


def keywords(
    headline_tokens: Sequence[str], body_tokens: Sequence[str], entity_forms: Iterable[str], *, limit: int = 10
) -> tuple[str, ...]:
    """Most frequent content words (headline words weigh more), words of entity names excluded.

    Takes tokens (``text.tokens``) rather than text: the caller tokenizes the story once for
    keywords and topics alike.
    """
    excluded = {w.casefold() for form in entity_forms for w in tokens(form)}
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    for weight, words in ((HEADLINE_WEIGHT, headline_tokens), (1, body_tokens)):
        for token in words:
            candidate = _candidate(token)
            if candidate is not None and candidate[1] not in excluded:
                key, low = candidate
                counts[key] += weight
                surface = surfaces.get(key)
                if surface is None:  # not setdefault: that builds a Counter for every word
                    surface = surfaces[key] = Counter()
                surface[low] += 1
    return tuple(surfaces[key].most_common(1)[0][0] for key, n in counts.most_common(limit) if n > 1)
