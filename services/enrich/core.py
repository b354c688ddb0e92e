"""Enrich: a normalized story in, the same story with entities, places, topics, quotes and counts out (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.enrich.dedup import Fingerprint, fingerprint
from services.enrich.entities import Mention, canonicalize, fold
from services.enrich.geo import Gazetteer
from services.enrich.lead import HEADLINE_WEIGHT, keywords, summary
from services.enrich.places import locate
from services.enrich.quotes import extract_quotes
from services.enrich.spans import headed_organisations, titled_people
from services.enrich.text import body_words, stems_of, tokens
from services.enrich.topics import MediaTopics
from shared.contracts import EnrichedStory, NormalizedStory
from shared.errors import ErrorCode, PermanentError
from shared.topics import Stage

WORDS_PER_MINUTE = 230
"""Adult silent reading speed for news prose; sets ``reading_time_s``."""
ENGLISH = "en"
"""The NER model, gazetteer aliases and topic vocabulary used here are English."""
LEAD_PARAGRAPHS = 2


LanguageDetector = Callable[[str], tuple[str | None, float | None]]
"""Text in, (ISO 639-1 code, confidence) out; injected so core stays free of model loading."""


class Recognizer(Protocol):
    """Named-entity recognition: text in, spans with labels and character offsets out."""

    def __call__(self, text: str) -> Sequence[Mention]:
        """Return the entity mentions of ``text``."""
        ...


@dataclass(frozen=True)
class Analyzers:
    """The loaded models and vocabularies the analysis runs with (see ``services.enrich.models``)."""

    recognize: Recognizer
    gazetteer: Gazetteer
    topics: MediaTopics


def count_words(paragraphs: tuple[str, ...]) -> int:
    """Words in the body (a contraction is one word)."""
    return len(body_words(paragraphs))


def story_fingerprint(story: NormalizedStory) -> Fingerprint:
    """The near-duplicate fingerprint of a story's body."""
    return fingerprint(story.body_paragraphs)


def enrich(
    story: NormalizedStory,
    *,
    now: datetime,
    detect_language: LanguageDetector,
    analyzers: Analyzers | None = None,
) -> EnrichedStory:
    """Enrich ``story``; without ``analyzers`` only language and counts are added.

    An empty body is a permanent error; a non-English story gets language,
    counts and summary, and records the English-only steps it skipped.
    """
    words = count_words(story.body_paragraphs)
    if words == 0:
        raise PermanentError("the story body has no words", code=ErrorCode.EMPTY_BODY)
    sample = " ".join((story.headline, *story.body_paragraphs[:5]))
    language, score = detect_language(sample)
    language = language or story.language
    enriched = EnrichedStory(
        story_id=story.story_id,
        story=story,
        language=language,
        language_score=score,
        word_count=words,
        reading_time_s=max(1, round(words * 60 / WORDS_PER_MINUTE)),
        trace=story.trace.stamped(Stage.ENRICH, now),
    )
    if analyzers is None:
        return enriched
    if language != ENGLISH:
        skipped = tuple(f"{step}: language is {language or 'unknown'}, not English"
                        for step in ("entities", "places", "subjects", "keywords", "quotes"))
        return enriched.model_copy(update={"summary": summary(story.body_paragraphs), "skipped": skipped})
    return enriched.model_copy(update=analyse(story, analyzers))


def analyse(story: NormalizedStory, analyzers: Analyzers) -> dict[str, object]:
    """The English-only fields: entities, places, subjects, keywords, quotes and summary."""
    text = "\n\n".join((story.headline, *story.body_paragraphs))
    headline_end = len(story.headline)
    lead_end = headline_end + sum(len(p) + 2 for p in story.body_paragraphs[:LEAD_PARAGRAPHS])
    mentions = headed_organisations(text, titled_people(text, analyzers.recognize(text)))
    dateline = fold(story.dateline.city) if story.dateline else None
    # "GOTHENBURG (NWS) —": the small model often takes an all-caps dateline city for an ORG.
    named = [m for m in mentions if fold(m.text) != dateline]
    people, organisations, aliases = canonicalize(
        named, places=analyzers.gazetteer.known_names(), cities=analyzers.gazetteer.city_names,
        headline_end=headline_end, lead_end=lead_end,
    )
    entity_forms = [f for e in (*people, *organisations) for f in (e.name, *e.aliases)]
    # Tokenized once for topics and keywords (no token spans the blank line between paragraphs).
    headline_tokens, body_tokens = tokens(story.headline), tokens("\n\n".join(story.body_paragraphs))
    headline_stems = stems_of(headline_tokens)
    stems = Counter(headline_stems + stems_of(body_tokens))
    for s in headline_stems:
        stems[s] += HEADLINE_WEIGHT - 1  # weigh the headline more than one mention
    return {
        "people": tuple(people),
        "organisations": tuple(organisations),
        "places": locate(text, mentions, story.dateline, analyzers.gazetteer),
        "subjects": analyzers.topics.assign(stems),
        "keywords": keywords(headline_tokens, body_tokens, entity_forms),
        "quotes": extract_quotes(story.body_paragraphs, aliases),
        "summary": summary(story.body_paragraphs),
    }


def with_cluster(story: EnrichedStory, cluster_id: str, duplicate_of: str | None) -> EnrichedStory:
    """The enriched story placed in its near-duplicate cluster."""
    return story.model_copy(update={"cluster_id": cluster_id, "duplicate_of": duplicate_of})
