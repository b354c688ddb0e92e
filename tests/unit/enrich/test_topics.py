from __future__ import annotations

from collections import Counter

import pytest

from services.enrich.models import Models
from services.enrich.text import content_stems


@pytest.mark.parametrize(
    ("text", "top"),
    [
        ("Late spring frost and heavy rain damage vineyards; forecasters expect more storms.", "17000000"),
        ("Dockworkers end strike after the union agrees a wage deal with employers.", "09000000"),
        ("Troops and peacekeepers deploy as the ceasefire between the armies holds; war fears ease.", "16000000"),
        ("Striker scores late goal as the champions win the league match; the coach praises fans.", "15000000"),
        ("Police arrest a suspect; prosecutors say the trial will start in court next month.", "02000000"),
    ],
)
def test_top_level_topic_of_short_stories(models: Models, text: str, top: str) -> None:
    subjects = models.topics.assign(Counter(content_stems(text)))
    assert subjects[0].code == top
    assert subjects[0].score == 1.0
    assert subjects[0].uri == f"http://cv.iptc.org/newscodes/mediatopic/{top}"


def test_detailed_codes_follow_the_top_level_ones_with_scores_in_range(models: Models) -> None:
    subjects = models.topics.assign(Counter(content_stems("Peace talks resume as both sides discuss a peace plan.")))
    levels = [s.level for s in subjects]
    tops = levels.count(1)
    assert tops >= 1
    assert all(level == 1 for level in levels[:tops])  # top-level first, then detailed
    assert all(level > 1 for level in levels[tops:])
    assert {"20000075", "20000076"} & {s.code for s in subjects}  # peace plan / peace talks
    assert all(0 <= s.score <= 1 for s in subjects)


def test_text_without_topic_words_gets_no_subjects(models: Models) -> None:
    assert models.topics.assign(Counter()) == ()
