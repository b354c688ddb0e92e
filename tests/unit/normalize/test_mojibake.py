from __future__ import annotations

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.normalize.mojibake import _FTFY, _ftfy_may_change, repair_text
from tests.unit.normalize.helpers import cp1252_mojibake, thai_hybrid_mojibake

REPAIRABLE = [
    "“I won’t go,” she said — twice.",
    "Minister Andris Sprūds said it was “critical”",
    "The mayor’s office said “no”",
    "Prices rose 5 € in Kraków – again…",
    "He said “far-fetched.”",
]


@pytest.mark.parametrize("clean", REPAIRABLE)
def test_thai_windows_874_hybrid_is_repaired(clean: str) -> None:
    broken = thai_hybrid_mojibake(clean)
    assert broken != clean
    fixed, fixes = repair_text(broken)
    assert fixed == clean
    assert "mojibake:utf-8_as_windows-874+1252" in fixes


def test_lost_0x9d_before_space_and_line_end_becomes_closing_quote() -> None:
    broken = thai_hybrid_mojibake("“yes” and “no”\n“maybe”")
    assert "\u201d" not in broken.replace(thai_hybrid_mojibake("”"), "")  # the byte really is lost
    fixed, fixes = repair_text(broken)
    assert fixed == "“yes” and “no”\n“maybe”"
    assert "restore_lost_byte_0x9d:windows-874" in fixes


@pytest.mark.parametrize(
    "clean",
    ["It’s the “best” café in town — really.", "Zürich’s naïve façade", "Ελληνικά “κείμενο”"],
)
def test_windows_1252_mojibake_is_repaired_by_ftfy(clean: str) -> None:
    fixed, fixes = repair_text(cp1252_mojibake(clean))
    assert fixed == clean
    assert any(f.startswith(("ftfy:", "restore_lost_byte")) for f in fixes)


CORRECT = [
    "ภาษาไทยเป็นภาษาราชการของประเทศไทย",
    "รถ ติด มาก วันนี้",
    "Η Ελλάδα είναι χώρα της Ευρώπης.",
    "Москва — столица России, сказал он «сегодня».",
    "東京は日本の首都です。ＡＢＣ全角",
    "한국어 문장입니다.",
    "Le château coûte 5 € et l’âne est là, à côté.",
    "The price was €30 – or “about” that.",
    "ﬁnance ligature stays",
    "Plain ASCII text with 'quotes' and \"double quotes\".",
    "A Thai name สมชาย met Anna in Bangkok.",
]


@pytest.mark.parametrize("clean", CORRECT)
def test_correct_text_is_never_changed(clean: str) -> None:
    fixed, fixes = repair_text(clean)
    assert fixed == clean
    assert fixes == []


def test_letters_whose_second_byte_was_lost_are_left_alone() -> None:
    # "ā" is C4 81 and 0x81 has no character in either code page: five letters share that
    # shape, so the repair does not guess; the rest of the text is still repaired.
    fixed, _ = repair_text(thai_hybrid_mojibake("“Jānis” said"))
    assert fixed == "“J" + thai_hybrid_mojibake("ā") + "nis” said"


# Characters mojibake is made of (Latin-1, Windows-125x, Mac Roman, CP437), with plain text around them.
_MOJIBAKE_ALPHABET = st.sampled_from(
    [*"aeiou sT.?\x1a\ufffd", *(chr(c) for c in range(0x80, 0x250)), *"‘’“”–—…•€™ŠšŒœŽžŸƒˆ˜‚„†‡‰‹›",
     *"αβγδΣπΩ√≈∞Ђ№ЖжЯя"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_MOJIBAKE_ALPHABET, min_size=1, max_size=12))
def test_the_ftfy_shortcut_only_skips_text_ftfy_leaves_alone(text: str) -> None:
    # repair_text skips ftfy when a cheap scan finds nothing ftfy could change; prove the scan safe.
    if not _ftfy_may_change(text):
        assert ftfy.fix_and_explain(text, config=_FTFY).text == text


@pytest.mark.parametrize(
    "clean", ["It’s “fine” — really…", "Москва, 12 марта", "東京の天気", "Αθήνα", "café au lait at 5 €"]
)
def test_repair_leaves_correct_text_alone(clean: str) -> None:
    assert repair_text(clean) == (clean, [])
