"""Ingest's own tables: receipts (idempotency, last seen per source) and feed cursors, via SQLAlchemy Core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

metadata = MetaData()

receipts = Table(
    "ingest_receipts",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("body_sha256", String(64), primary_key=True),
    Column("item_id", String(64), nullable=False),
    Column("story_id", String(200), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
)

feed_state = Table(
    "ingest_feed_state",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_ok_at", DateTime(timezone=True)),
    Column("last_error", Text),
)

feed_seen = Table(
    "ingest_feed_seen",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("entry_id", String(512), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Receipt:
    """One accepted item: which bytes from which source became which item."""

    source: str
    body_sha256: str
    item_id: str
    story_id: str
    received_at: datetime


@dataclass(frozen=True)
class FeedState:
    """Conditional-GET validators and health of one feed."""

    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_ok_at: datetime | None = None
    last_error: str | None = None


class IngestStore:
    """Receipts and feed cursors in the configured database (SQLite by default)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def create(self) -> None:
        """Create ingest's tables if they do not exist."""
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

    async def find(self, source: str, body_sha256: str, *, since: datetime) -> Receipt | None:
        """The receipt of these bytes from this source, if accepted after ``since``."""
        query = select(receipts).where(receipts.c.source == source, receipts.c.body_sha256 == body_sha256)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        if row is None or _aware(row["received_at"]) < since:
            return None
        return Receipt(**{**row, "received_at": _aware(row["received_at"])})

    async def record(self, receipt: Receipt) -> None:
        """Store a receipt, replacing one that fell out of the idempotency window."""
        key = (receipts.c.source == receipt.source, receipts.c.body_sha256 == receipt.body_sha256)
        async with self.engine.begin() as conn:
            await conn.execute(delete(receipts).where(*key))
            await conn.execute(insert(receipts).values(**receipt.__dict__))

    async def last_seen(self) -> dict[str, tuple[datetime, int]]:
        """Per source: when it last delivered an accepted item, and how many receipts are kept."""
        query = select(receipts.c.source, func.max(receipts.c.received_at), func.count()).group_by(receipts.c.source)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {source: (_aware(last), count) for source, last, count in rows}

    async def feed_state(self, source: str) -> FeedState:
        """The stored state of a feed (empty for a new one)."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(feed_state).where(feed_state.c.source == source))).mappings().first()
        if row is None:
            return FeedState()
        values = {k: v for k, v in row.items() if k != "source"}
        if values["last_ok_at"] is not None:
            values["last_ok_at"] = _aware(values["last_ok_at"])
        return FeedState(**values)

    async def save_feed_state(self, source: str, state: FeedState) -> None:
        """Replace a feed's state."""
        async with self.engine.begin() as conn:
            await conn.execute(delete(feed_state).where(feed_state.c.source == source))
            await conn.execute(insert(feed_state).values(source=source, **state.__dict__))

    async def seen_entries(self, source: str, entry_ids: list[str]) -> set[str]:
        """Which of these feed entries were already ingested."""
        if not entry_ids:
            return set()
        query = select(feed_seen.c.entry_id).where(feed_seen.c.source == source,
                                                   feed_seen.c.entry_id.in_(entry_ids))
        async with self.engine.connect() as conn:
            return set((await conn.execute(query)).scalars())

    async def mark_seen(self, source: str, entry_id: str, at: datetime) -> None:
        """Remember that a feed entry was ingested (after the broker acknowledged it)."""
        async with self.engine.begin() as conn:
            await conn.execute(insert(feed_seen).values(source=source, entry_id=entry_id, seen_at=at))
