"""Near-duplicate state in the database, shared by every worker and kept across restarts (SQLAlchemy Core)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Column, Index, LargeBinary, MetaData, String, Table, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.enrich.dedup import THRESHOLD, Fingerprint, similarity

metadata = MetaData()

signatures = Table(
    "enrich_minhash",
    metadata,
    Column("story_id", String(200), primary_key=True),
    Column("cluster_id", String(40), nullable=False),
    Column("first_story_id", String(200), nullable=False),
    Column("signature", LargeBinary, nullable=False),
)
bands = Table(
    "enrich_lsh_band",
    metadata,
    Column("bucket", String(40), primary_key=True),  # "<band>:<hash of the band's rows>"
    Column("story_id", String(200), primary_key=True),
    Index("ix_enrich_lsh_band_story", "story_id"),
)


@dataclass(frozen=True)
class Cluster:
    """Where a story landed: its cluster and, for a near-duplicate, the cluster's first story."""

    cluster_id: str
    duplicate_of: str | None


def cluster_id_for(story_id: str) -> str:
    """Cluster id of a cluster founded by ``story_id``."""
    return "c" + hashlib.blake2b(story_id.encode(), digest_size=10).hexdigest()


class DuplicateStore:
    """MinHash signatures and LSH buckets in two tables; any worker can query what another stored."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use ``engine`` (see ``shared.db.create_engine``)."""
        self.engine = engine

    async def create_tables(self) -> None:
        """Create the tables if missing; a concurrent worker winning the race is not an error."""
        try:
            async with self.engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
        except OperationalError as exc:
            if "already exists" not in str(exc):
                raise
            async with self.engine.begin() as conn:  # the other worker created them: check again
                await conn.run_sync(metadata.create_all)

    async def assign(self, story_id: str, fp: Fingerprint) -> Cluster:
        """Put the story in the cluster of its most similar stored story, or found a new cluster."""
        async with self.engine.begin() as conn:
            known = (await conn.execute(
                select(signatures.c.cluster_id, signatures.c.first_story_id).where(signatures.c.story_id == story_id)
            )).first()
            if known is not None:  # a redelivery or an update keeps its cluster
                return Cluster(known.cluster_id, None if known.first_story_id == story_id else known.first_story_id)
            candidates = (await conn.execute(
                select(signatures.c.story_id, signatures.c.cluster_id, signatures.c.first_story_id,
                       signatures.c.signature)
                .where(signatures.c.story_id.in_(
                    select(bands.c.story_id).where(bands.c.bucket.in_(fp.bands)).distinct()))
            )).all()
            scored = [(similarity(fp.signature, c.signature), c) for c in candidates]
            best = max(scored, key=lambda s: s[0], default=None)
            if best is not None and best[0] >= THRESHOLD:
                cluster = Cluster(best[1].cluster_id, best[1].first_story_id)
            else:
                cluster = Cluster(cluster_id_for(story_id), None)
            await conn.execute(signatures.insert().values(
                story_id=story_id, cluster_id=cluster.cluster_id,
                first_story_id=cluster.duplicate_of or story_id, signature=fp.signature))
            await conn.execute(bands.insert(), [{"bucket": b, "story_id": story_id} for b in fp.bands])
            return cluster
