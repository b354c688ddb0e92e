from __future__ import annotations

import pytest

from services.normalize.wire_meta import is_contributors_note, parse_byline, parse_dateline


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("LORNE COOK - AP", (["Lorne Cook"], "AP")),
        ("By MAREN HOLT and TOBIAS QUILL, Associated Press", (["Maren Holt", "Tobias Quill"], "AP")),
        ("By Priya Raman | Reuters", (["Priya Raman"], "Reuters")),
        ("Claire DUMONT / AFP", (["Claire Dumont"], "AFP")),
        ("By Sean O'BRIEN", (["Sean O'Brien"], None)),
        ("The weather was fine - AP", None),
        ("Europe quietly works on a plan", None),
    ],
)
def test_bylines(line: str, expected: tuple[list[str], str | None] | None) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("paragraph", "city", "agency"),
    [
        ("BRUSSELS (AP) — Increasingly, things happen.", "BRUSSELS", "AP"),
        ("KANSAS CITY, Mo. (AP) — A storm hit.", "KANSAS CITY", "AP"),
        ("LONDON, Feb 14 (Reuters) - Prices rose.", "LONDON", "Reuters"),
        ("Paris (AFP) - Le gouvernement a dit.", "Paris", "AFP"),
        ("NAIROBI — A plain dateline.", "NAIROBI", None),
        ("In December (after the vote) - nothing.", None, None),
        ("The President said on Monday that it works.", None, None),
    ],
)
def test_datelines(paragraph: str, city: str | None, agency: str | None) -> None:
    dateline = parse_dateline(paragraph)
    assert (dateline.city if dateline else None) == city
    assert (dateline.agency if dateline else None) == agency


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Associated Press writer Jo Ames in Rome contributed to this report.", True),
        ("Reporting by Jo Ames; Editing by Kim Bell", True),
        ("He contributed money to the campaign in 2020.", False),
    ],
)
def test_contributors(paragraph: str, expected: bool) -> None:
    assert is_contributors_note(paragraph) is expected
