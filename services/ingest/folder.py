"""Folder drop: every file placed in the inbox is ingested once, then moved to ``done/`` or ``failed/``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import structlog

from services.ingest.core import content_type_for, make_raw_item
from shared.contracts import RawItem
from shared.errors import PermanentError

log = structlog.get_logger()

Emit = Callable[[RawItem], Awaitable[None]]


async def ingest_file(path: Path, *, source: str, emit: Emit) -> RawItem | None:
    """Ingest one file; move it to done/ after the broker acknowledged it, or to failed/ with a reason."""
    inbox = path.parent
    data = path.read_bytes()
    try:
        item = make_raw_item(
            data,
            source=source,
            content_type=content_type_for(path.name),
            item_id=uuid.uuid4().hex,
            now=datetime.now(UTC),
            source_item_id=None,
        )
    except PermanentError as exc:
        failed = inbox / "failed"
        failed.mkdir(exist_ok=True)
        path.replace(failed / path.name)
        (failed / f"{path.name}.reason.txt").write_text(f"{exc.code}: {exc.message}\n")
        log.warning("item rejected", file=path.name, code=exc.code, error=exc.message)
        return None
    await emit(item)  # only once the broker has it does the file leave the inbox
    done = inbox / "done"
    done.mkdir(exist_ok=True)
    path.replace(done / path.name)
    log.info("item ingested", file=path.name, story_id=item.story_id, bytes=len(data))
    return item


def pending(inbox: Path) -> list[Path]:
    """Files waiting in the inbox, oldest name first; hidden and partial files are skipped."""
    return sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith((".", "~")))


async def watch_folder(inbox: Path, *, source: str, emit: Emit, interval_s: float) -> None:
    """Poll the inbox forever; a file is processed once, since it leaves the inbox when done."""
    inbox.mkdir(parents=True, exist_ok=True)
    while True:
        for path in pending(inbox):
            await ingest_file(path, source=source, emit=emit)
        await asyncio.sleep(interval_s)
