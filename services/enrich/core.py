"""Enrich: a normalized story in, the same story with language and counts out (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from shared.contracts import EnrichedStory, NormalizedStory
from shared.errors import ErrorCode, PermanentError
from shared.topics import Stage

WORDS_PER_MINUTE = 230
"""Adult silent reading speed for news prose; sets ``reading_time_s``."""

_WORD = re.compile(r"\w+(?:['’]\w+)*")

LanguageDetector = Callable[[str], tuple[str | None, float | None]]
"""Text in, (ISO 639-1 code, confidence) out; injected so core stays free of model loading."""


def count_words(paragraphs: tuple[str, ...]) -> int:
    """Words in the body (a contraction is one word)."""
    return sum(len(_WORD.findall(p)) for p in paragraphs)


def enrich(story: NormalizedStory, *, now: datetime, detect_language: LanguageDetector) -> EnrichedStory:
    """Add language and word counts; an empty body is a permanent error."""
    words = count_words(story.body_paragraphs)
    if words == 0:
        raise PermanentError("the story body has no words", code=ErrorCode.EMPTY_BODY)
    sample = " ".join((story.headline, *story.body_paragraphs[:5]))
    language, score = detect_language(sample)
    return EnrichedStory(
        story_id=story.story_id,
        story=story,
        language=language or story.language,
        language_score=score,
        word_count=words,
        reading_time_s=max(1, round(words * 60 / WORDS_PER_MINUTE)),
        trace=story.trace.stamped(Stage.ENRICH, now),
    )
