"""The archive: every version, the ordered feed of released versions, and deliveries, in SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from services.publish.core import LatestVersion
from services.publish.filters import Facts
from services.publish.tables import FEED_LOCK, bind_schema, deliveries, feed, inputs, migrate, serialize, versions
from shared.contracts import EnrichedStory, StoryPublished


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One released version at its place in the feed."""

    seq: int
    event: StoryPublished
    facts: Facts

    @property
    def ninjs(self) -> dict[str, Any]:
        """The version's ninjs document."""
        return self.event.ninjs or {}


class Notifier:
    """Wakes every waiting stream or long-poll when the feed grows (within this process)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout_s: float) -> None:
        """Return when the feed grew or after ``timeout_s`` (the caller re-reads the archive either way)."""
        # A timeout is the normal "nothing new" outcome; callers look again.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout_s)


def _ts(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


class Archive:
    """Async access to the archive tables; writes are serialized so feed order equals commit order."""

    def __init__(self, engine: AsyncEngine, schema: str | None = None) -> None:
        self.engine = bind_schema(engine, schema)
        self._schema = schema
        self._raw_engine = engine
        self._write = asyncio.Lock()
        self.notifier = Notifier()
        self._migrated = False

    async def migrate(self) -> int:
        """Create or upgrade the tables."""
        async with self._write:
            version = await migrate(self._raw_engine, self._schema)
        self._migrated = True
        return version

    async def ready(self) -> None:
        """Migrate once, on first use, for callers that skip the app's startup hook (in-memory test brokers)."""
        if not self._migrated:
            await self.migrate()

    async def latest(self, story_id: str) -> LatestVersion | None:
        """Newest archived version of ``story_id`` (released or not), if any."""
        await self.ready()
        query = (select(versions.c.version, versions.c.content_hash, versions.c.firstcreated)
                 .where(versions.c.story_id == story_id).order_by(versions.c.version.desc()).limit(1))
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return LatestVersion(row.version, row.content_hash, datetime.fromtimestamp(row.firstcreated, UTC))

    async def record(
        self, event: StoryPublished, facts: Facts, *, release: bool, now: datetime, hold_until: datetime | None = None,
        source: EnrichedStory | None = None,
    ) -> int | None:
        """Archive a version (idempotent on story and version); when ``release``, append it to the feed.

        A held version is released at ``hold_until`` (default: its own embargo).
        Returns the feed sequence number when it was released now, else None.
        """
        await self.ready()
        firstcreated = (event.ninjs or {}).get("firstcreated")
        first = datetime.fromisoformat(firstcreated) if firstcreated else now
        row = {
            "story_id": event.story_id, "version": event.version, "action": str(event.action),
            "pubstatus": str(event.pubstatus), "content_hash": event.content_hash, "headline": event.headline,
            "source": event.source, "firstcreated": first.timestamp(),
            "embargo_until": _ts(hold_until or event.embargo_until),
            "released": release, "event_json": event.model_dump_json(), "facts_json": facts.model_dump_json(),
        }
        async with self._write, self.engine.begin() as conn:
            known = exists().where(and_(versions.c.story_id == event.story_id, versions.c.version == event.version))
            if (await conn.execute(select(known))).scalar():
                return None
            await conn.execute(insert(versions).values(**row))
            if source is not None:
                await conn.execute(insert(inputs).values(
                    story_id=event.story_id, version=event.version, archived_at=now.timestamp(),
                    enriched_json=source.model_dump_json()))
            seq = await self._append(conn, event, now) if release else None
        if seq is not None:
            self.notifier.notify()
        return seq

    async def _append(self, conn: Any, event: StoryPublished, now: datetime) -> int:
        # Numbering and commit serialized across processes too, so a reader never sees
        # sequence N+1 committed before N (which would let a cursor skip N).
        await serialize(conn, FEED_LOCK)
        result = await conn.execute(insert(feed).values(
            story_id=event.story_id, version=event.version, released_at=now.timestamp()))
        return int(result.inserted_primary_key[0])

    async def archived_inputs(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[EnrichedStory]:
        """The enriched story behind the newest archived version of each story archived in [since, until)."""
        await self.ready()
        newest = (select(inputs.c.story_id, func.max(inputs.c.version).label("version"))
                  .group_by(inputs.c.story_id).subquery())
        query = (select(inputs.c.enriched_json)
                 .join(newest, and_(inputs.c.story_id == newest.c.story_id, inputs.c.version == newest.c.version))
                 .order_by(inputs.c.archived_at, inputs.c.story_id))
        if since is not None:
            query = query.where(inputs.c.archived_at >= since.timestamp())
        if until is not None:
            query = query.where(inputs.c.archived_at < until.timestamp())
        async with self.engine.connect() as conn:
            return [EnrichedStory.model_validate_json(r) for r in (await conn.execute(query)).scalars()]

    async def due_embargoes(self, now: datetime) -> list[StoryPublished]:
        """Archived, unreleased versions whose embargo has passed, oldest embargo first."""
        query = (select(versions.c.event_json)
                 .where(versions.c.released.is_(False), versions.c.embargo_until <= now.timestamp())
                 .order_by(versions.c.embargo_until, versions.c.id))
        async with self.engine.connect() as conn:
            return [StoryPublished.model_validate_json(r) for r in (await conn.execute(query)).scalars()]

    async def held_until(self, story_id: str) -> datetime | None:
        """When the latest still-held version of ``story_id`` is due, if any is held."""
        query = select(func.max(versions.c.embargo_until)).where(
            versions.c.story_id == story_id, versions.c.released.is_(False))
        async with self.engine.connect() as conn:
            due = (await conn.execute(query)).scalar()
        return datetime.fromtimestamp(due, UTC) if due is not None else None

    async def release(self, event: StoryPublished, now: datetime) -> int | None:
        """Append an embargoed version to the feed (once); returns its sequence number."""
        async with self._write, self.engine.begin() as conn:
            done = await conn.execute(update(versions).where(
                versions.c.story_id == event.story_id, versions.c.version == event.version,
                versions.c.released.is_(False)).values(released=True))
            seq = await self._append(conn, event, now) if done.rowcount else None
        if seq is not None:
            self.notifier.notify()
        return seq

    async def feed_after(self, seq: int, limit: int) -> list[FeedItem]:
        """Released versions after ``seq``, in feed order."""
        query = (select(feed.c.seq, versions.c.event_json, versions.c.facts_json)
                 .join(versions, and_(versions.c.story_id == feed.c.story_id, versions.c.version == feed.c.version))
                 .where(feed.c.seq > seq).order_by(feed.c.seq).limit(limit))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [FeedItem(r.seq, StoryPublished.model_validate_json(r.event_json),
                         Facts.model_validate_json(r.facts_json)) for r in rows]

    async def head(self) -> int:
        """The newest feed sequence number (0 when empty)."""
        async with self.engine.connect() as conn:
            return int((await conn.execute(select(func.coalesce(func.max(feed.c.seq), 0)))).scalar_one())

    async def earlier_facts(self, story_id: str, before_seq: int) -> list[Facts]:
        """Facts of the versions of ``story_id`` released before ``before_seq``."""
        query = (select(versions.c.facts_json)
                 .join(feed, and_(versions.c.story_id == feed.c.story_id, versions.c.version == feed.c.version))
                 .where(feed.c.story_id == story_id, feed.c.seq < before_seq))
        async with self.engine.connect() as conn:
            return [Facts.model_validate_json(r) for r in (await conn.execute(query)).scalars()]

    async def versions_of(self, story_id: str) -> list[FeedItem]:
        """Every released version of ``story_id``, oldest first."""
        query = (select(feed.c.seq, versions.c.event_json, versions.c.facts_json)
                 .join(versions, and_(versions.c.story_id == feed.c.story_id, versions.c.version == feed.c.version))
                 .where(feed.c.story_id == story_id).order_by(versions.c.version))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [FeedItem(r.seq, StoryPublished.model_validate_json(r.event_json),
                         Facts.model_validate_json(r.facts_json)) for r in rows]

    async def was_delivered(self, subscriber_id: int, story_id: str) -> bool:
        """True when any version of ``story_id`` was delivered to the subscriber."""
        known = exists().where(deliveries.c.subscriber_id == subscriber_id, deliveries.c.story_id == story_id)
        async with self.engine.connect() as conn:
            return bool((await conn.execute(select(known))).scalar())

    async def log_deliveries(self, subscriber_id: int, items: Iterable[FeedItem], channel: str) -> None:
        """Record that ``items`` went to the subscriber over ``channel``."""
        now = datetime.now(UTC).timestamp()
        rows = [{"subscriber_id": subscriber_id, "seq": i.seq, "story_id": i.event.story_id,
                 "version": i.event.version, "channel": channel, "delivered_at": now} for i in items]
        if rows:
            async with self.engine.begin() as conn:
                await conn.execute(insert(deliveries), rows)

    async def close(self) -> None:
        """Dispose of the connection pool."""
        await self._raw_engine.dispose()


def dumps(document: dict[str, Any]) -> str:
    """A ninjs document as compact JSON text."""
    return orjson.dumps(document).decode()
