"""``newswire push`` against a served push API, and ``newswire sources list`` with last-seen status."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from services.cli import app
from services.ingest.push import create_push_api
from services.ingest.sources import SourcesRegistry, hash_key
from services.ingest.store import IngestStore
from shared.db import create_engine
from shared.http_server import HttpServer
from shared.settings import DatabaseSettings, PushApiSettings
from tests.component.ingest.conftest import WIRE_KEY, FakeBroker

DATA = Path(__file__).resolve().parents[2] / "data" / "ingest"


async def test_push_posts_each_file_and_reports_refusals(
    registry: SourcesRegistry, broker: FakeBroker, db_url: str, tmp_path: Path
) -> None:
    store = IngestStore(create_engine(DatabaseSettings(url=db_url)))
    await store.create()
    server = HttpServer(create_push_api(registry, store, broker, PushApiSettings()), "127.0.0.1", 0)
    await server.start()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [str(DATA / "nitf_embargoed.xml"), str(DATA / "anpa1312_writethru.txt"), str(empty)]
    try:
        result = await asyncio.to_thread(CliRunner().invoke, app,
                                         ["push", *files, "--source", "wire", "--url", server.url, "--key", WIRE_KEY])
    finally:
        await server.stop()
        await store.engine.dispose()
    assert result.exit_code == 1  # one file refused
    lines = result.output.splitlines()
    assert [line.split("\t")[1] for line in lines if "\t" in line] == ["202", "202", "422"]
    assert [i.agency_document.format for i in broker.items if i.agency_document] == ["nitf", "iptc7901"]


def test_sources_list_shows_every_source_with_last_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(f'[[sources]]\nid = "twa"\nkind = "push"\napi_key_sha256 = "{hash_key("k")}"\n'
                        '[[sources]]\nid = "rss"\nkind = "feed"\nurl = "https://example.org/rss"\n')
    monkeypatch.setenv("NEWSWIRE_INGEST__SOURCES_FILE", str(registry))
    monkeypatch.setenv("NEWSWIRE_DATABASE__URL", f"sqlite:///{tmp_path / 'n.db'}")
    result = CliRunner().invoke(app, ["sources", "list"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()[1:]]
    assert [(r[0], r[1], r[4], r[6]) for r in rows] == [("twa", "push", "never", "ok"), ("rss", "feed", "never", "ok")]
