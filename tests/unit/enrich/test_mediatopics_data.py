from __future__ import annotations

import json
from collections import Counter

import pytest

from services.enrich.topics import DATA_FILE
from tests.conftest import SHARED_DIR

SHEET = SHARED_DIR / "standards" / "iptc-mediatopics" / "IPTC-MediaTopic-NewsCodes.xlsx"


def _concepts() -> list[dict[str, object]]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["concepts"]  # type: ignore[no-any-return]


def test_shipped_vocabulary_has_every_active_concept_and_17_top_level_topics() -> None:
    concepts = _concepts()
    assert len(concepts) == 1085
    assert len({c["code"] for c in concepts}) == 1085
    assert sum(c["level"] == 1 for c in concepts) == 17
    assert {"16000000", "15000000", "11000000"} <= {c["code"] for c in concepts if c["level"] == 1}


def test_every_broader_link_resolves_one_level_up() -> None:
    concepts = _concepts()
    by_code = {c["code"]: c for c in concepts}
    for c in concepts:
        if c["level"] == 1:
            assert c["broader"] is None
        else:
            parent = by_code[c["broader"]]  # type: ignore[index]
            assert parent["level"] == c["level"] - 1  # type: ignore[operator]
    assert Counter(c["level"] for c in concepts)[6] > 0


def test_shipped_file_carries_the_iptc_attribution_and_licence() -> None:
    doc = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert "IPTC" in doc["attribution"]
    assert "Creative Commons Attribution 4.0" in doc["attribution"]
    assert (DATA_FILE.parent / "LICENSE-mediatopics.md").is_file()
    war = next(c for c in doc["concepts"] if c["code"] == "16000000")
    assert war["name"] == "conflict, war and peace"


@pytest.mark.shared_data
def test_shipped_file_matches_a_fresh_build_from_the_official_sheet() -> None:
    if not SHEET.is_file():
        pytest.skip("../shared reference data is absent")
    openpyxl = pytest.importorskip("openpyxl")
    from services.enrich.vocab.build_mediatopics import build

    rows = list(openpyxl.load_workbook(SHEET, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert build(rows[2:], "x")["concepts"] == _concepts()
