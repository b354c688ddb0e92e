"""Subscribers: API keys (shown once, stored as SHA-256), entitlements and filters, in the archive database."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from services.publish.archive import Archive
from services.publish.filters import SubscriberFilter
from services.publish.tables import subscribers
from shared.errors import ErrorCode, PermanentError

KEY_PREFIX = "nwk_"


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A subscriber as the delivery code sees it (never with its key)."""

    id: int
    name: str
    entitlements: tuple[str, ...]
    filter: SubscriberFilter


def new_key() -> str:
    """A fresh API key: 256 random bits, so a plain SHA-256 is a safe stored form (no password stretching)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The stored form of an API key."""
    return hashlib.sha256(key.encode()).hexdigest()


def _subscriber(row: object) -> Subscriber:
    return Subscriber(
        id=int(row.id),  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        entitlements=tuple(orjson.loads(row.entitlements_json)),  # type: ignore[attr-defined]
        filter=SubscriberFilter.model_validate_json(row.filter_json),  # type: ignore[attr-defined]
    )


async def add_subscriber(
    archive: Archive, name: str, *, entitlements: tuple[str, ...], subscriber_filter: SubscriberFilter,
    key: str | None = None,
) -> tuple[Subscriber, str]:
    """Create a subscriber; returns it with its API key, which is not stored and cannot be shown again."""
    if not name.strip():
        raise PermanentError("a subscriber needs a name", code=ErrorCode.MALFORMED_MESSAGE)
    if not entitlements:
        raise PermanentError("a subscriber needs at least one entitlement (a source id, agency, or '*')",
                             code=ErrorCode.MALFORMED_MESSAGE)
    key = key or new_key()
    values = {
        "name": name, "key_hash": hash_key(key), "entitlements_json": orjson.dumps(list(entitlements)).decode(),
        "filter_json": subscriber_filter.model_dump_json(), "active": True,
        "created_at": datetime.now(UTC).timestamp(),
    }
    try:
        async with archive.engine.begin() as conn:
            result = await conn.execute(insert(subscribers).values(**values))
    except IntegrityError as exc:
        raise PermanentError(f"subscriber {name!r} already exists", code=ErrorCode.MALFORMED_MESSAGE) from exc
    (new_id,) = result.inserted_primary_key or (0,)
    return Subscriber(int(new_id), name, entitlements, subscriber_filter), key


async def by_key(archive: Archive, key: str) -> Subscriber | None:
    """The active subscriber holding ``key``, if any."""
    query = select(subscribers).where(subscribers.c.key_hash == hash_key(key), subscribers.c.active.is_(True))
    async with archive.engine.connect() as conn:
        row = (await conn.execute(query)).first()
    return _subscriber(row) if row is not None else None


async def all_subscribers(archive: Archive) -> list[Subscriber]:
    """Every subscriber, oldest first."""
    async with archive.engine.connect() as conn:
        rows = (await conn.execute(select(subscribers).order_by(subscribers.c.id))).all()
    return [_subscriber(r) for r in rows]


async def reset_key(archive: Archive, name: str) -> str:
    """Give subscriber ``name`` a new API key (the old one stops working); returns the new key."""
    key = new_key()
    async with archive.engine.begin() as conn:
        done = await conn.execute(update(subscribers).where(subscribers.c.name == name).values(key_hash=hash_key(key)))
    if not done.rowcount:
        raise PermanentError(f"no subscriber {name!r}", code=ErrorCode.MALFORMED_MESSAGE)
    return key


async def by_id(archive: Archive, subscriber_id: int) -> Subscriber | None:
    """The subscriber with ``subscriber_id``, if any."""
    async with archive.engine.connect() as conn:
        row = (await conn.execute(select(subscribers).where(subscribers.c.id == subscriber_id))).first()
    return _subscriber(row) if row is not None else None
