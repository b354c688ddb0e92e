from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from services.normalize.core import normalize
from tests.unit.normalize.helpers import NOW, raw_item

SEED = Path(__file__).parents[3].parent / "shared" / "seed"


@pytest.mark.shared_data
def test_seed_passes_the_reference_check() -> None:
    page = SEED / "000_e32d21abe728182a.txt"
    if not page.exists():
        pytest.skip("../shared/seed is not present")
    story = normalize(raw_item(page.read_bytes()), now=NOW, max_bytes=5_000_000)
    result = subprocess.run(
        [sys.executable, str(SEED / "check_normalized.py"), str(SEED / "000_e32d21abe728182a.gold.json")],
        input=story.model_dump_json(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip().endswith("seed: 28 passed, 0 failed"), result.stdout
