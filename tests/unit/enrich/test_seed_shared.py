"""The issue's acceptance check on the seed story (reads ../shared; skipped when it is absent)."""

from __future__ import annotations

import orjson
import pytest

from services.enrich.cli import enrich_documents
from services.enrich.evaluate import score
from services.enrich.models import Models
from services.normalize.cli import normalize_paths
from tests.conftest import SHARED_DIR

SEED = SHARED_DIR / "seed" / "000_e32d21abe728182a.txt"

pytestmark = pytest.mark.shared_data


def test_seed_entities_dateline_and_topic_meet_the_acceptance_targets(models: Models) -> None:
    if not SEED.is_file():
        pytest.skip("../shared reference data is absent")
    gold = orjson.loads(SEED.with_suffix(".gold.json").read_bytes())
    normalized = list(normalize_paths([SEED], force_format=None, max_bytes=5_000_000))
    [enriched] = enrich_documents(orjson.dumps(normalized))
    result = score(enriched, gold)
    print(orjson.dumps(result).decode())
    assert result["recall"] >= 0.9
    assert result["precision"] >= 0.85
    assert result["dateline"] == ("Brussels", "BE")
    assert result["top_subject"] == "16000000"
    assert result["quotes"] >= gold["quotes_min"]
