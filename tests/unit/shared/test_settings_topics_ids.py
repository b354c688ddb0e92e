"""Settings from the environment, topic naming, stable ids, and the embedded broker's guard rails."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.embedded import EmbeddedBroker, EmbeddedBrokerError, tansu_binary
from shared.ids import content_hash, story_id_for_content, story_id_for_item
from shared.settings import EmbeddedBrokerSettings, Settings
from shared.topics import Stage, Topics


def test_nested_settings_come_from_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWIRE_KAFKA__BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")
    monkeypatch.setenv("NEWSWIRE_KAFKA__NORMALIZED_PARTITIONS", "12")
    monkeypatch.setenv("NEWSWIRE_LOG__FORMAT", "json")
    settings = Settings()
    assert settings.kafka.bootstrap_servers == "kafka-1:9092,kafka-2:9092"
    assert settings.kafka.normalized_partitions == 12
    assert settings.log.format == "json"


def test_defaults_select_the_embedded_broker_and_low_latency_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWIRE_KAFKA__BOOTSTRAP_SERVERS", raising=False)
    settings = Settings()
    assert settings.kafka.bootstrap_servers is None
    assert settings.kafka.fetch_max_wait_ms <= 50


def test_topics_and_groups_follow_the_prefix() -> None:
    topics = Topics("t1")
    assert topics.all() == ("t1.raw", "t1.normalized", "t1.enriched", "t1.published", "t1.dlq")
    assert topics.input_of(Stage.ENRICH) == "t1.normalized"
    assert topics.group_of(Stage.ENRICH) == "t1.enrich"
    with pytest.raises(ValueError, match="consumes no topic"):
        topics.input_of(Stage.INGEST)


def test_story_ids_are_stable_and_ignore_headline_case_and_punctuation() -> None:
    assert story_id_for_item("ap", "guid-1") == story_id_for_item("ap", "guid-1")
    assert story_id_for_item("ap", "guid-1") != story_id_for_item("afp", "guid-1")
    a = story_id_for_content("ap", "Europe plans force for Ukraine", "2025-02-14")
    b = story_id_for_content("ap", "EUROPE plans  force for Ukraine!", "2025-02-14")
    assert a == b
    assert a != story_id_for_content("ap", "Europe plans force for Ukraine", "2025-02-15")


def test_content_hash_depends_on_paragraph_boundaries() -> None:
    assert content_hash(["ab", "c"]) != content_hash(["a", "bc"])


def test_a_missing_broker_binary_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddedBrokerError, match="is not a file"):
        tansu_binary(EmbeddedBrokerSettings(binary=tmp_path / "nope"))


def test_a_broker_binary_that_exits_at_once_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "tansu"
    fake.write_text("#!/bin/sh\nexit 7\n")
    fake.chmod(0o755)
    with pytest.raises(EmbeddedBrokerError, match="exited with status 7"):
        EmbeddedBroker(EmbeddedBrokerSettings(binary=fake, start_timeout_s=5)).start()


def test_the_pinned_embedded_broker_binary_is_found_and_verified() -> None:
    assert tansu_binary(EmbeddedBrokerSettings()).is_file()
