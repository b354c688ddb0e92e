"""Word counts, reading time and the empty-body error of the enrich core."""

from __future__ import annotations

import pytest

from services.enrich.core import count_words
from services.enrich.language import detect_language


@pytest.mark.parametrize(
    ("paragraphs", "words"),
    [
        (("One two three.",), 3),
        (("It's Zelenskyy’s plan — isn't it?", "Yes."), 6),
        (("",), 0),
    ],
)
def test_count_words(paragraphs: tuple[str, ...], words: int) -> None:
    assert count_words(paragraphs) == words


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The council approved the budget for a new tram line on Tuesday.", "en"),
        ("Le conseil municipal a approuvé mardi le budget de la nouvelle ligne de tramway.", "fr"),
        ("Der Stadtrat hat am Dienstag das Budget für die neue Straßenbahnlinie genehmigt.", "de"),
    ],
)
def test_language_is_detected_offline_with_the_bundled_model(text: str, language: str) -> None:
    code, score = detect_language(text)
    assert code == language
    assert score is not None
    assert score > 0.5


def test_text_without_letters_has_no_language() -> None:
    assert detect_language("12:30 — 14:45 / 2026") == (None, None)
