from __future__ import annotations

from pathlib import Path

from services.enrich.dedup import BANDS, fingerprint, similarity
from services.enrich.store import DuplicateStore, cluster_id_for
from shared.db import create_engine
from shared.settings import DatabaseSettings
from tests.unit.enrich.dedup_fixtures import SYNDICATED_BODY as SYNDICATED
from tests.unit.enrich.dedup_fixtures import WIRE_BODY as AP_COPY
from tests.unit.enrich.stories import MATCH


def test_syndicated_copy_is_similar_and_a_different_story_is_not() -> None:
    original, copy, other = fingerprint(AP_COPY), fingerprint(SYNDICATED), fingerprint(MATCH[1])
    assert similarity(original.signature, copy.signature) > 0.6
    assert similarity(original.signature, other.signature) < 0.1
    assert len(original.bands) == BANDS
    assert set(original.bands) & set(copy.bands)
    assert fingerprint(AP_COPY) == original  # deterministic across processes and workers


async def _assign(db: Path, story_id: str, paragraphs: tuple[str, ...]) -> tuple[str, str | None]:
    engine = create_engine(DatabaseSettings(url=f"sqlite:///{db}"))
    try:
        store = DuplicateStore(engine)
        await store.create_tables()
        cluster = await store.assign(story_id, fingerprint(paragraphs))
        return cluster.cluster_id, cluster.duplicate_of
    finally:
        await engine.dispose()


async def test_near_duplicates_share_a_cluster_across_restarts(tmp_path: Path) -> None:
    db = tmp_path / "dedup.db"
    first = await _assign(db, "ap-1", AP_COPY)
    # Each call opens a fresh engine: the state lives in the database, not in the process.
    copy = await _assign(db, "site-2", SYNDICATED)
    other = await _assign(db, "match-3", MATCH[1])
    again = await _assign(db, "site-2", SYNDICATED)
    assert first == (cluster_id_for("ap-1"), None)
    assert copy == (cluster_id_for("ap-1"), "ap-1")
    assert other == (cluster_id_for("match-3"), None)
    assert again == copy  # a redelivery keeps its cluster and is not its own duplicate
