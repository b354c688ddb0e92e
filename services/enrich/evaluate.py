"""Score enriched stories against hand-written gold entities: precision and recall after canonicalization.

``python -m services.enrich.evaluate ENRICHED.jsonl GOLD.json`` prints the figures;
gold is ``{"entities": {"person": [...], "organization": [...], "place": [...]},
"dateline_place": {...}}`` as in ``../shared/seed/*.gold.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson

from services.enrich.entities import fold

KINDS = {"person": "people", "organization": "organisations", "place": "places"}


def _key(name: str) -> str:
    """Names compare case- and accent-insensitively, without a leading article."""
    return fold(name).removeprefix("the ").strip()


def score(enriched: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """Per-kind and overall precision/recall of predicted entity names against gold, plus checks."""
    result: dict[str, Any] = {}
    tp = predicted = expected = 0
    for gold_kind, field in KINDS.items():
        want = {_key(n) for n in gold["entities"].get(gold_kind, [])}
        got = {_key(e["name"]) for e in enriched.get(field, [])}
        hits = len(want & got)
        result[gold_kind] = {"precision": hits / len(got) if got else 0.0, "recall": hits / len(want) if want else 1.0,
                             "missed": sorted(want - got), "extra": sorted(got - want)}
        tp, predicted, expected = tp + hits, predicted + len(got), expected + len(want)
    result["precision"] = tp / predicted if predicted else 0.0
    result["recall"] = tp / expected if expected else 1.0
    dateline = next((p for p in enriched.get("places", []) if p.get("is_dateline")), None)
    result["dateline"] = (dateline["name"], dateline["country_code"]) if dateline else None
    subjects = enriched.get("subjects", [])
    result["top_subject"] = subjects[0]["code"] if subjects else None
    result["quotes"] = len(enriched.get("quotes", []))
    return result


def main(enriched_path: str, gold_path: str) -> None:
    """Print the score of the first enriched story in ``enriched_path`` against ``gold_path``."""
    enriched = orjson.loads(Path(enriched_path).read_bytes().splitlines()[0])
    gold = orjson.loads(Path(gold_path).read_bytes())
    print(orjson.dumps(score(enriched, gold), option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main(*sys.argv[1:3])
