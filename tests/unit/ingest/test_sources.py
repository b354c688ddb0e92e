"""The sources registry: TOML validated by pydantic, hashed keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.ingest.sources import RegistryError, SourceKind, hash_key, load_registry, new_key

REGISTRY = """
[[sources]]
id = "twa"
kind = "push"
agency = "Test Wire Agency"
api_key_sha256 = "{digest}"

[[sources]]
id = "city-rss"
kind = "feed"
url = "https://example.org/rss.xml"
interval_s = 120
fetch_article = true

[[sources]]
id = "desk-drop"
kind = "folder"
path = "var/desk"
"""


def test_registry_loads_sources_and_finds_a_source_by_its_key(tmp_path: Path) -> None:
    key, digest = new_key()
    path = tmp_path / "sources.toml"
    path.write_text(REGISTRY.format(digest=digest))
    registry = load_registry(path)
    assert [s.id for s in registry.sources] == ["twa", "city-rss", "desk-drop"]
    assert registry.by_key(key) == registry.get("twa")
    assert registry.by_key("wrong") is None
    assert [s.id for s in registry.of_kind(SourceKind.FEED)] == ["city-rss"]
    assert digest == hash_key(key)
    assert key not in path.read_text()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[[sources]]\nid = "a"\nkind = "push"\n[[sources]]\nid = "a"\nkind = "push"\n', "duplicate source ids: a"),
        ('[[sources]]\nid = "f"\nkind = "feed"\n', "needs a url"),
        ('[[sources]]\nid = "f"\nkind = "carrier-pigeon"\n', "invalid"),
        ('[[sources]]\nid = "k"\nkind = "push"\napi_key_sha256 = "plain-text-key"\n', "invalid"),
        ("[[sources]\n", "not valid TOML"),
    ],
)
def test_invalid_registries_are_refused_with_a_reason(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(RegistryError, match=reason):
        load_registry(path)


def test_no_registry_file_means_no_sources() -> None:
    assert load_registry(None).sources == ()


def test_the_shipped_example_registry_is_valid() -> None:
    example = Path(__file__).resolve().parents[3] / "services" / "ingest" / "sources.example.toml"
    registry = load_registry(example)
    assert registry.by_key("example-only-key") == registry.get("twa")
