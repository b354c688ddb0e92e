"""Contract messages for tests, written for this project."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.enrich.core import enrich
from services.ingest.core import make_raw_item
from services.normalize.core import normalize
from shared.contracts import EnrichedStory, NormalizedStory, RawItem

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def story_text(n: int, *, extra: str = "") -> bytes:
    """A short plain-text wire story; ``n`` makes headline and body unique."""
    return (
        f"Council approves budget number {n} for new tram line\n\n"
        f"TAMPERE, Finland (NWS) — The city council approved budget number {n} on Tuesday for a tram "
        f"line linking the university campus with the hospital district.{extra}\n\n"
        f"Construction is due to start next spring and last about three years, officials said.\n"
    ).encode()


def raw_item(n: int, *, source_item_id: str | None = None, extra: str = "") -> RawItem:
    """A raw plain-text item."""
    return make_raw_item(
        story_text(n, extra=extra),
        source="test",
        content_type="text/plain; charset=utf-8",
        item_id=uuid.uuid4().hex,
        now=NOW,
        source_item_id=source_item_id or f"guid-{n}",
    )


def normalized_story(n: int) -> NormalizedStory:
    """A normalized story produced by the real normalize core."""
    return normalize(raw_item(n), now=NOW, max_bytes=1_000_000)


def enriched_story(n: int) -> EnrichedStory:
    """An enriched story produced by the real enrich core, with a fixed language guess."""
    return enrich(normalized_story(n), now=NOW, detect_language=lambda _text: ("en", 0.99))
