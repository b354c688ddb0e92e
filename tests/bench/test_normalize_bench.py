from __future__ import annotations

from pathlib import Path

import pytest

from services.normalize.evaluate import run

DEVSET = Path(__file__).parents[2].parent / "shared" / "devset" / "article-extraction-benchmark"


@pytest.mark.bench
@pytest.mark.shared_data
def test_extraction_benchmark() -> None:
    if not (DEVSET / "ground-truth.json").exists():
        pytest.skip("the article-extraction-benchmark devset is not present")
    lines = run(DEVSET, compare_trafilatura=True)
    print("\n".join(lines))  # measured, not asserted: see the benchmark section
    assert lines[0].startswith("newswire")
