"""Files in, JSON-ready normalized stories out: the logic behind ``newswire normalize FILE ...``."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.normalize.core import normalize
from services.normalize.sniff import InputFormat
from shared.contracts import RawItem
from shared.errors import PermanentError
from shared.ids import bytes_hash, story_id_for_item


def normalize_paths(
    paths: list[Path], *, force_format: InputFormat | None, max_bytes: int
) -> Iterator[dict[str, Any]]:
    """Normalize each file in one process, yielding its story as a JSON-ready dict or an error dict."""
    for path in paths:
        try:
            # Read at most one byte past the limit: a gigantic file is rejected without loading it.
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            yield {"file": str(path), "error": {"code": "unreadable_file", "message": str(exc)}}
            continue
        now = datetime.now(UTC)
        raw = RawItem(
            story_id=story_id_for_item("file", bytes_hash(data)),
            item_id=bytes_hash(data)[:24],
            source="file",
            content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            body=data,
            received_at=now,
        )
        try:
            story = normalize(raw, now=now, max_bytes=max_bytes, force_format=force_format)
        except PermanentError as exc:
            yield {"file": str(path), "error": {"code": exc.code.value, "message": exc.message}}
            continue
        yield {"file": str(path), **story.model_dump(mode="json")}
