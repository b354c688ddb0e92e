"""Pure parts of the operator tools: --since parsing, replay windows, dead-letter filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import typer

from services.ops.cli import parse_since
from services.ops.dlq import Letter, LetterFilter, counts_by_code
from shared.contracts import DeadLetter
from shared.replay import in_window
from shared.settings import ReplayWindow
from shared.topics import Stage

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", NOW - timedelta(minutes=90)),
        ("2h", NOW - timedelta(hours=2)),
        ("7d", NOW - timedelta(days=7)),
        ("2026-05-01T08:00:00+02:00", datetime(2026, 5, 1, 6, 0, tzinfo=UTC)),
        ("2026-05-01T08:00:00", datetime(2026, 5, 1, 8, 0, tzinfo=UTC)),
        (None, None),
    ],
)
def test_since_accepts_ages_and_iso_times(text: str | None, expected: datetime | None) -> None:
    assert parse_since(text, now=NOW) == expected


def test_since_rejects_nonsense_with_a_reason() -> None:
    with pytest.raises(typer.BadParameter, match="ISO time or an age"):
        parse_since("yesterday-ish", now=NOW)


def test_replay_window_bounds_offsets_per_partition_and_times() -> None:
    window = ReplayWindow(name="w", start={0: 5, 1: 0}, end={0: 10, 1: 3}, since=NOW)
    at = int(NOW.timestamp() * 1000)
    assert not in_window(window, 0, 4, at)
    assert in_window(window, 0, 5, at)
    assert not in_window(window, 0, 10, at)
    assert in_window(window, 1, 2, at)
    assert not in_window(window, 1, 2, at - 1)  # before --since


def letter(stage: Stage, code: str, minutes_ago: int) -> Letter:
    return Letter(f"0-{minutes_ago}", DeadLetter(
        stage=stage, error_code=code, error_message="x", attempts=1, original=b"x",
        failed_at=NOW - timedelta(minutes=minutes_ago),
    ))


def test_dead_letter_filters_combine() -> None:
    letters = [letter(Stage.NORMALIZE, "empty_input", 5), letter(Stage.ENRICH, "empty_body", 50),
               letter(Stage.NORMALIZE, "binary_input", 500)]
    recent_normalize = LetterFilter(stage=Stage.NORMALIZE, since=NOW - timedelta(hours=1))
    assert [x.id for x in letters if recent_normalize.matches(x)] == ["0-5"]
    assert [x.id for x in letters if LetterFilter(ids=frozenset({"0-50"})).matches(x)] == ["0-50"]
    assert counts_by_code(letters) == {("normalize", "empty_input"): 1, ("enrich", "empty_body"): 1,
                                       ("normalize", "binary_input"): 1}
