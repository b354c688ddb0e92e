"""Build ``services/enrich/data/mediatopics.json`` from the official IPTC Media Topics spreadsheet.

Run once by hand when IPTC publishes a new edition::

    .venv/bin/python -m services.enrich.vocab.build_mediatopics \
        ../shared/standards/iptc-mediatopics/IPTC-MediaTopic-NewsCodes.xlsx

Needs ``openpyxl`` (a dev dependency); the service only reads the JSON it writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "data" / "mediatopics.json"
LEVEL_COLUMNS = range(2, 8)  # "Level1/NewsCode" .. "Level6/NewsCode"
COL_RETIRED, COL_NAME, COL_DEFINITION = 8, 15, 16  # RetiredDate, Name (en-GB), Definition (en-GB)
ATTRIBUTION = (
    "IPTC Media Topics, International Press Telecommunications Council (iptc.org); "
    "licensed under Creative Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/). "
    "Converted to JSON (English labels and definitions, active concepts only) for Newswire."
)


def _code(qcode: str) -> str:
    return qcode.removeprefix("medtop:").strip()


def build(rows: list[tuple[Any, ...]], edition: str) -> dict[str, Any]:
    """Turn sheet rows (header rows removed) into the shipped document.

    The sheet lists concepts depth-first and marks depth by which Level column
    holds the code, so a concept's broader concept is the nearest earlier active
    row one level up. Retired rows are skipped.
    """
    concepts: list[dict[str, Any]] = []
    open_at_level: dict[int, str] = {}
    for row in rows:
        levels = [i for i in LEVEL_COLUMNS if row[i]]
        if len(levels) != 1:
            raise ValueError(f"row {row[:2]} has {len(levels)} level codes")
        if row[COL_RETIRED]:
            continue
        level = levels[0] - 1
        code = _code(str(row[levels[0]]))
        if code != _code(str(row[1])):
            raise ValueError(f"level code {code} differs from the row's QCode {row[1]}")
        broader = open_at_level.get(level - 1) if level > 1 else None
        if level > 1 and broader is None:
            raise ValueError(f"{code} (level {level}) has no broader concept")
        open_at_level[level] = code
        for deeper in [k for k in open_at_level if k > level]:
            del open_at_level[deeper]
        concepts.append({
            "code": code,
            "level": level,
            "broader": broader,
            "name": str(row[COL_NAME]).strip(),
            "definition": str(row[COL_DEFINITION] or "").strip(),
        })
    return {"attribution": ATTRIBUTION, "edition": edition, "concepts": concepts}


def main(xlsx: str) -> None:
    """Read the spreadsheet at ``xlsx`` and write the JSON data file."""
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    edition = str(rows[0][0]).rsplit(" ", 1)[-1]  # "IPTC MediaTopic NewsCodes last updated 2025-03-31"
    doc = build(rows[2:], edition)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(doc['concepts'])} active concepts -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
