"""Folder drop: once per file, done/ or failed/ with a reason and a dead letter, restart-safe, watched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.ingest.folder import FolderDrop
from services.ingest.store import IngestStore, Receipt
from shared.contracts import DeadLetter
from shared.db import create_engine
from shared.ids import bytes_hash
from shared.settings import DatabaseSettings
from shared.topics import Stage
from tests.component.ingest.conftest import FakeBroker
from tests.support.kafka import wait_for

DATA = Path(__file__).resolve().parents[2] / "data" / "ingest"
STORY = b"Harbour reopens after storm\n\nROTTERDAM (TWA) - The harbour reopened on Tuesday after the storm.\n"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[IngestStore]:
    store = IngestStore(create_engine(DatabaseSettings(url=f"sqlite:///{tmp_path / 'ingest.db'}")))
    await store.create()
    yield store
    await store.engine.dispose()


def folder(tmp_path: Path, store: IngestStore, broker: FakeBroker, letters: list[DeadLetter]) -> FolderDrop:
    async def sink(letter: DeadLetter) -> None:
        letters.append(letter)

    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    return FolderDrop(inbox, "drop", broker, sink, store, max_bytes=100_000)


async def test_good_file_is_sent_once_and_moved_to_done(tmp_path: Path, store: IngestStore) -> None:
    broker, letters = FakeBroker(), []  # type: ignore[var-annotated]
    drop = folder(tmp_path, store, broker, letters)
    (drop.inbox / "story.txt").write_bytes(STORY)
    (drop.inbox / ".partial.txt").write_bytes(b"still being written")
    assert await drop.drain() == 1
    assert await drop.drain() == 0
    assert [i.body for i in broker.items] == [STORY]
    assert (drop.inbox / "done" / "story.txt").read_bytes() == STORY
    assert (drop.inbox / ".partial.txt").exists()  # hidden files wait for their rename


async def test_malformed_file_is_dead_lettered_with_its_bytes_and_the_next_flows(
    tmp_path: Path, store: IngestStore
) -> None:
    broker, letters = FakeBroker(), []  # type: ignore[var-annotated]
    drop = folder(tmp_path, store, broker, letters)
    bad = (DATA / "bad_nitf_no_headline.xml").read_bytes()
    (drop.inbox / "a-bad.xml").write_bytes(bad)
    (drop.inbox / "b-empty.txt").write_bytes(b"")
    (drop.inbox / "c-good.txt").write_bytes(STORY)
    await drop.drain()
    assert [(le.error_code, le.original_headers["filename"]) for le in letters] == [
        ("malformed_item", "a-bad.xml"), ("empty_input", "b-empty.txt")]
    assert letters[0].original == bad
    assert letters[0].stage == Stage.INGEST
    assert (drop.inbox / "failed" / "a-bad.xml").read_bytes() == bad
    assert (drop.inbox / "failed" / "a-bad.xml.reason.txt").read_text().startswith("malformed_item: NITF")
    assert [i.body for i in broker.items] == [STORY]


async def test_file_sent_before_a_crash_is_not_sent_again_after_restart(tmp_path: Path, store: IngestStore) -> None:
    broker, letters = FakeBroker(), []  # type: ignore[var-annotated]
    drop = folder(tmp_path, store, broker, letters)
    # The previous run got the broker's ack and stored the receipt, then died before moving the file.
    await store.record(Receipt("drop", bytes_hash(STORY), "item-1", "drop:abc", datetime.now(UTC)))
    (drop.inbox / "story.txt").write_bytes(STORY)
    await drop.drain()
    assert broker.items == []
    assert (drop.inbox / "done" / "story.txt").exists()


async def test_watcher_ingests_what_was_left_and_what_arrives(tmp_path: Path, store: IngestStore) -> None:
    broker, letters = FakeBroker(), []  # type: ignore[var-annotated]
    drop = folder(tmp_path, store, broker, letters)
    (drop.inbox / "left-over.txt").write_bytes(STORY)
    stop = asyncio.Event()
    task = asyncio.create_task(drop.watch(interval_s=0.05, stop=stop))
    try:
        await wait_for(lambda: len(broker.items) == 1, timeout_s=10, what="the left-over file")
        staged = tmp_path / "staging.txt"
        staged.write_bytes(STORY.replace(b"Tuesday", b"Wednesday"))
        staged.replace(drop.inbox / "new.txt")  # write elsewhere, rename in
        await wait_for(lambda: len(broker.items) == 2, timeout_s=10, what="the new file")
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    assert (drop.inbox / "done" / "new.txt").exists()
