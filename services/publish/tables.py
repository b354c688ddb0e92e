"""The archive's tables and their versioned migrations (SQLite and PostgreSQL alike).

Why not Alembic: the schema is a handful of tables owned by one service, it must
migrate in-process at startup on both dialects and inside a per-test PostgreSQL
schema (``schema_translate_map``), and Alembic's script directory plus env.py
would be more code than the migrations themselves. Each step is numbered,
applied once in a transaction and recorded in ``publish_migrations``; steps are
append-only, like Alembic revisions.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.schema import CreateSchema

metadata = MetaData()

# SQLite makes INTEGER PRIMARY KEY the rowid; BigInteger elsewhere keeps sequences wide.
_Id = BigInteger().with_variant(Integer(), "sqlite")

migrations_table = Table(
    "publish_migrations", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", Float, nullable=False),
)

versions = Table(
    "published_versions", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("story_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(16), nullable=False),
    Column("pubstatus", String(16), nullable=False),
    Column("content_hash", String(128), nullable=False),
    Column("headline", Text, nullable=False),
    Column("source", String(200), nullable=False),
    Column("firstcreated", Float, nullable=False),
    Column("embargo_until", Float, nullable=True),
    Column("released", Boolean, nullable=False),
    Column("event_json", Text, nullable=False),
    Column("facts_json", Text, nullable=False),
    UniqueConstraint("story_id", "version", name="uq_published_story_version"),
    sqlite_autoincrement=True,
)
Index("ix_published_embargo", versions.c.released, versions.c.embargo_until)

feed = Table(
    "publish_feed", metadata,
    Column("seq", _Id, primary_key=True, autoincrement=True),
    Column("story_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("released_at", Float, nullable=False),
    UniqueConstraint("story_id", "version", name="uq_feed_story_version"),
    sqlite_autoincrement=True,  # a cursor must never see a sequence number reused
)
Index("ix_feed_story", feed.c.story_id, feed.c.seq)

subscribers = Table(
    "subscribers", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("entitlements_json", Text, nullable=False),
    Column("filter_json", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", Float, nullable=False),
    sqlite_autoincrement=True,
)

deliveries = Table(
    "deliveries", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("subscriber_id", BigInteger, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("story_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("delivered_at", Float, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_deliveries_subscriber_story", deliveries.c.subscriber_id, deliveries.c.story_id)


webhooks = Table(
    "webhooks", metadata,
    Column("subscriber_id", BigInteger, primary_key=True, autoincrement=False),
    Column("url", Text, nullable=False),
    Column("secret", String(100), nullable=False),  # kept in clear: signing needs it (shown once to the owner)
    Column("cursor", BigInteger, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("suspended", Boolean, nullable=False),
    Column("suspended_reason", Text, nullable=True),
    Column("updated_at", Float, nullable=False),
)

webhook_log = Table(
    "webhook_log", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("subscriber_id", BigInteger, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("story_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("http_status", Integer, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("at", Float, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_webhook_log_subscriber", webhook_log.c.subscriber_id, webhook_log.c.id)


inputs = Table(
    "published_inputs", metadata,
    Column("story_id", String(200), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("archived_at", Float, nullable=False),
    Column("enriched_json", Text, nullable=False),
)
"""The enriched story each version was made from: what `newswire replay --from-archive` re-emits."""
Index("ix_published_inputs_archived", inputs.c.archived_at)


def _v1_initial(conn: Connection) -> None:
    for table in (versions, feed, subscribers, deliveries):
        table.create(conn, checkfirst=True)


def _v2_webhooks(conn: Connection) -> None:
    for table in (webhooks, webhook_log):
        table.create(conn, checkfirst=True)


def _v3_inputs(conn: Connection) -> None:
    inputs.create(conn, checkfirst=True)


MIGRATIONS: tuple[tuple[int, Callable[[Connection], None]], ...] = (
    (1, _v1_initial), (2, _v2_webhooks), (3, _v3_inputs),
)
"""Append-only: (number, step). Never edit a step that has shipped."""


def bind_schema(engine: AsyncEngine, schema: str | None) -> AsyncEngine:
    """The engine with every table placed in ``schema`` (PostgreSQL), or unchanged."""
    if not schema or engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(schema_translate_map={None: schema})


MIGRATION_LOCK = 0x6E77_0001
FEED_LOCK = 0x6E77_0002
"""PostgreSQL advisory-lock keys ("nw" + a number) of migrations and of feed appends."""


async def serialize(conn: AsyncConnection, key: int) -> None:
    """Hold a transaction-scoped lock on ``key`` across processes (PostgreSQL; SQLite writers queue anyway)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def migrate(engine: AsyncEngine, schema: str | None = None) -> int:
    """Apply every pending migration; returns the schema version now in place.

    Safe to run from several processes at once: PostgreSQL takes an advisory lock,
    SQLite an exclusive lock on a file beside the database (its DDL autocommits,
    so a transaction alone would not keep two migrators apart).
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        await _migrate_once(engine, schema)
        return MIGRATIONS[-1][0]
    lock = await asyncio.to_thread(os.open, f"{database}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
        await _migrate_once(engine, schema)
    finally:
        os.close(lock)  # closing releases the lock
    return MIGRATIONS[-1][0]


async def _migrate_once(engine: AsyncEngine, schema: str | None) -> None:
    if schema and engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await serialize(conn, MIGRATION_LOCK)
            await conn.execute(CreateSchema(schema, if_not_exists=True))
    async with bind_schema(engine, schema).begin() as conn:
        await serialize(conn, MIGRATION_LOCK)
        await conn.run_sync(lambda c: migrations_table.create(c, checkfirst=True))
        done = set((await conn.execute(select(migrations_table.c.version))).scalars())
        for number, step in MIGRATIONS:
            if number not in done:
                await conn.run_sync(step)
                await conn.execute(insert(migrations_table).values(
                    version=number, applied_at=datetime.now(UTC).timestamp()))
