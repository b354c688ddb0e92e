"""``newswire enrich``: normalized stories (JSON or JSON lines) in, enriched stories out, for inspection."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from services.enrich import core
from services.enrich.language import detect_language
from services.enrich.models import load_models
from services.enrich.store import DuplicateStore
from shared.contracts import NormalizedStory
from shared.db import create_engine
from shared.errors import NewswireError
from shared.settings import DatabaseSettings


def read_documents(data: bytes) -> list[Any]:
    """One JSON document, a JSON array, or JSON lines, as a list of documents."""
    stripped = data.strip()
    if not stripped:
        return []
    try:
        doc = orjson.loads(stripped)
    except orjson.JSONDecodeError:
        return [orjson.loads(line) for line in stripped.splitlines() if line.strip()]
    return doc if isinstance(doc, list) else [doc]


async def _enrich_all(docs: list[Any], database_url: str) -> list[dict[str, Any]]:
    models = load_models()
    analyzers = core.Analyzers(recognize=models.ner, gazetteer=models.gazetteer, topics=models.topics)
    engine = create_engine(DatabaseSettings(url=database_url))
    store = DuplicateStore(engine)
    out: list[dict[str, Any]] = []
    try:
        await store.create_tables()
        for doc in docs:
            if isinstance(doc, dict) and "error" in doc:  # a file `newswire normalize` failed on
                out.append(doc)
                continue
            try:
                story = NormalizedStory.model_validate(doc)
                enriched = core.enrich(story, now=datetime.now(UTC), detect_language=detect_language,
                                       analyzers=analyzers)
            except ValidationError as exc:
                out.append({"error": "malformed_message", "message": str(exc)})
                continue
            except NewswireError as exc:
                out.append({"error": str(exc.code), "message": exc.message, "story_id": story.story_id})
                continue
            cluster = await store.assign(story.story_id, core.story_fingerprint(story))
            out.append(core.with_cluster(enriched, cluster.cluster_id, cluster.duplicate_of).model_dump(mode="json"))
    finally:
        await engine.dispose()
    return out


def enrich_documents(data: bytes, *, database_url: str | None = None) -> Iterator[dict[str, Any]]:
    """Enriched stories (or ``{"error": code, ...}``) for every normalized story in ``data``.

    Near-duplicates are found among the stories of this run unless ``database_url``
    points at a shared database.
    """
    docs = read_documents(data)
    if database_url is not None:
        yield from asyncio.run(_enrich_all(docs, database_url))
        return
    with tempfile.TemporaryDirectory(prefix="newswire-enrich-") as tmp:
        yield from asyncio.run(_enrich_all(docs, f"sqlite:///{Path(tmp) / 'dedup.db'}"))
