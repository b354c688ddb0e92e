"""The version store: newest version and content hash per story, in SQLite so it survives restarts."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from services.publish.core import LatestVersion
from shared.contracts import StoryPublished
from shared.errors import ErrorCode, PermanentError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_versions (
    story_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    headline TEXT NOT NULL,
    event_json TEXT NOT NULL,
    PRIMARY KEY (story_id, version)
)
"""


def sqlite_path(url: str) -> Path:
    """Path of a ``sqlite:///relative`` or ``sqlite:////absolute`` URL."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise PermanentError(f"only sqlite:/// URLs are supported for now, got {url!r}",
                             code=ErrorCode.UNSUPPORTED_FORMAT)
    return Path(url[len(prefix):])


class VersionStore:
    """Every published version; the newest one per story decides the next."""

    def __init__(self, path: Path) -> None:
        """Open (and create) the SQLite file at ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection used from one worker thread at a time (calls are serialized by the handler).
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def latest(self, story_id: str) -> LatestVersion | None:
        """Newest version of ``story_id``, if any."""
        row = self._db.execute(
            "SELECT version, content_hash FROM story_versions WHERE story_id = ? ORDER BY version DESC LIMIT 1",
            (story_id,),
        ).fetchone()
        return LatestVersion(version=row[0], content_hash=row[1]) if row else None

    def record(self, event: StoryPublished) -> None:
        """Keep a delivered version (idempotent: recording it twice changes nothing)."""
        self._db.execute(
            "INSERT OR IGNORE INTO story_versions VALUES (?, ?, ?, ?, ?)",
            (event.story_id, event.version, event.content_hash, event.headline, event.model_dump_json()),
        )

    async def alatest(self, story_id: str) -> LatestVersion | None:
        """``latest`` off the event loop."""
        return await asyncio.to_thread(self.latest, story_id)

    async def arecord(self, event: StoryPublished) -> None:
        """``record`` off the event loop."""
        await asyncio.to_thread(self.record, event)

    def close(self) -> None:
        """Close the database."""
        self._db.close()
