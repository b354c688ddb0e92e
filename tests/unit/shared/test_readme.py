"""The README's configuration table matches the settings models."""

from __future__ import annotations

from pathlib import Path

from shared.settings_doc import BEGIN, END, settings_table

README = Path(__file__).parents[3] / "README.md"


def test_readme_configuration_table_is_current() -> None:
    text = README.read_text()
    current = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert current == settings_table(), "README settings table is stale: run `make docs`"
