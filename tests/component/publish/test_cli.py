"""``newswire subscribers``: the key is printed once, stored hashed, and opens the API."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from services.cli import app
from services.publish.archive import Archive
from services.publish.subscribers import Subscriber, by_key
from shared.db import create_engine
from shared.settings import DatabaseSettings


def test_subscribers_add_prints_a_working_key_once_and_list_never_shows_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    env = {"NEWSWIRE_DATABASE__URL": url}
    added = runner.invoke(app, ["subscribers", "add", "desk", "--entitle", "ap", "--place", "FI",
                                "--max-urgency", "4"], env=env)
    assert added.exit_code == 0, added.output
    key = added.stdout.strip().splitlines()[-1]
    again = runner.invoke(app, ["subscribers", "add", "desk", "--entitle", "ap"], env=env)
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    listed = runner.invoke(app, ["subscribers", "list"], env=env)
    assert "desk\tap\t" in listed.stdout
    assert '"max_urgency":4' in listed.stdout
    assert key not in listed.stdout
    hooked = runner.invoke(app, ["subscribers", "webhook", "desk", "ftp://nope"], env=env)
    assert hooked.exit_code == 2
    subscriber = asyncio.run(lookup(url, key))  # the CLI runs its own event loop, so this test has none
    assert subscriber is not None
    assert subscriber.entitlements == ("ap",)


async def lookup(url: str, key: str) -> Subscriber | None:
    archive = Archive(create_engine(DatabaseSettings(url=url)))
    try:
        return await by_key(archive, key)
    finally:
        await archive.close()
