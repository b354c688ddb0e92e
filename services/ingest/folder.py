"""Folder drop: every file placed in the inbox is ingested once, then moved to ``done/`` or ``failed/``.

Writers should write elsewhere (or to a hidden ``.name`` file) and rename into the inbox,
so a half-written file is never read. Restart-safe: a receipt (source + sha256 of the
bytes) is stored once the broker acknowledged the item, before the file moves; a file
still in the inbox after a crash is recognised by its receipt and not sent again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import structlog
import watchfiles

from services.ingest.core import content_type_for, make_raw_item
from services.ingest.store import IngestStore, Receipt
from shared.contracts import DeadLetter, RawItem
from shared.errors import ErrorCode, PermanentError
from shared.ids import bytes_hash
from shared.topics import Stage

log = structlog.get_logger()

Emit = Callable[[RawItem], Awaitable[None]]
DeadLetterSink = Callable[[DeadLetter], Awaitable[None]]


def pending(inbox: Path) -> list[Path]:
    """Files waiting in the inbox, oldest name first; hidden and partial files are skipped."""
    return sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith((".", "~")))


def _move(path: Path, folder: Path, reason: str | None = None) -> None:
    folder.mkdir(exist_ok=True)
    path.replace(folder / path.name)
    if reason is not None:
        (folder / f"{path.name}.reason.txt").write_text(reason + "\n", encoding="utf-8")


@dataclass
class FolderDrop:
    """One watched inbox feeding one source."""

    inbox: Path
    source: str
    emit: Emit
    dead_letter: DeadLetterSink
    store: IngestStore
    max_bytes: int
    window: timedelta = timedelta(days=7)
    agency: str | None = None

    async def ingest_file(self, path: Path) -> RawItem | None:
        """Ingest one file; it leaves the inbox only after the broker acknowledged the item or its dead letter."""
        data = await asyncio.to_thread(path.read_bytes)
        digest, now = bytes_hash(data), datetime.now(UTC)
        seen = await self.store.find(self.source, digest, since=now - self.window)
        if seen is not None:  # sent before a crash or restart, or dropped twice: never send it again
            await asyncio.to_thread(_move, path, self.inbox / "done")
            log.info("item already ingested", file=path.name, item_id=seen.item_id, story_id=seen.story_id)
            return None
        try:
            if len(data) > self.max_bytes:
                raise PermanentError(f"file of {len(data)} bytes exceeds {self.max_bytes}",
                                     code=ErrorCode.INPUT_TOO_LARGE)
            item = make_raw_item(data, source=self.source, content_type=content_type_for(path.name),
                                 item_id=uuid.uuid4().hex, now=now, default_agency=self.agency)
        except PermanentError as exc:
            await self._reject(path, data, exc, now)
            return None
        await self.emit(item)
        await self.store.record(Receipt(self.source, digest, item.item_id, item.story_id, now))
        await asyncio.to_thread(_move, path, self.inbox / "done")
        log.info("item ingested", file=path.name, story_id=item.story_id, bytes=len(data))
        return item

    async def _reject(self, path: Path, data: bytes, exc: PermanentError, now: datetime) -> None:
        letter = DeadLetter(stage=Stage.INGEST, error_code=str(exc.code), error_message=exc.message[:2000],
                            attempts=1, original=data, original_headers={"filename": path.name, "source": self.source},
                            failed_at=now)
        await self.dead_letter(letter)
        await asyncio.to_thread(_move, path, self.inbox / "failed", f"{exc.code}: {exc.message}")
        log.warning("item rejected", file=path.name, code=exc.code, error=exc.message)

    async def drain(self) -> int:
        """Ingest every file now in the inbox; returns how many were handled."""
        paths = await asyncio.to_thread(pending, self.inbox)
        for path in paths:
            await self.ingest_file(path)
        return len(paths)

    async def watch(self, *, interval_s: float, stop: asyncio.Event | None = None) -> None:
        """Drain what a previous run left, then drain again on every change in the inbox."""
        await asyncio.to_thread(self.inbox.mkdir, parents=True, exist_ok=True)
        await self.drain()
        delay_ms = max(10, int(interval_s * 1000))
        # yield_on_timeout: a rescan every `rust_timeout` even without events (e.g. network filesystems).
        async for _changes in watchfiles.awatch(self.inbox, stop_event=stop, recursive=False, debounce=delay_ms,
                                                step=min(50, delay_ms), rust_timeout=max(1000, delay_ms * 20),
                                                yield_on_timeout=True, poll_delay_ms=delay_ms):
            await self.drain()
