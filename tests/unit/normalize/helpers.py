"""Test helpers: build raw items and produce mojibake by really mis-decoding UTF-8."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from shared.contracts import RawItem

DATA = Path(__file__).parents[2] / "data" / "normalize"
NOW = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)


def raw_item(
    body: bytes, *, content_type: str = "text/plain", url: str | None = "https://x.example/a"
) -> RawItem:
    """Build a raw item carrying ``body``."""
    return RawItem(
        story_id="test:1",
        item_id="item-1",
        source="test",
        url=url,
        content_type=content_type,
        body=body,
        received_at=NOW,
    )


def thai_hybrid_mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-874 (Windows-1252 for 0x80-0x9F); unmapped bytes are lost."""
    out = []
    for byte in text.encode("utf-8"):
        char = bytes([byte])
        for codec in ("cp874", "cp1252") if byte < 0xA0 else ("cp874",):
            try:
                out.append(char.decode(codec))
                break
            except UnicodeDecodeError:
                continue
    return "".join(out)


def cp1252_mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252, the classic "â€™" mojibake (unmapped bytes lost)."""
    return text.encode("utf-8").decode("cp1252", errors="ignore")
