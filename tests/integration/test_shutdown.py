"""SIGTERM stops a stage process cleanly: in-flight work finished, offsets committed, exit within 10 s."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from services.ops.replay import plan_replay
from shared.broker import ensure_topics
from shared.codec import encode
from shared.settings import Settings
from shared.topics import Stage
from tests.support.factories import raw_item
from tests.support.kafka import collect, produce

pytestmark = pytest.mark.integration


async def test_sigterm_drains_commits_and_exits_within_ten_seconds(settings: Settings) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    env = {
        **os.environ,
        "NEWSWIRE_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
        "NEWSWIRE_KAFKA__TOPIC_PREFIX": settings.kafka.topic_prefix,
        "NEWSWIRE_KAFKA__SESSION_TIMEOUT_MS": "3000",
        "NEWSWIRE_KAFKA__HEARTBEAT_INTERVAL_MS": "500",
        "NEWSWIRE_LOG__FORMAT": "json",
    }
    command = [sys.executable, "-m", "faststream", "run", "services.normalize.app:create_app", "--factory"]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        items = [raw_item(n) for n in range(30)]
        await produce(bootstrap, topics.raw, [(i.story_id.encode(), encode(i)) for i in items])
        await collect(bootstrap, topics.normalized, until=lambda r: len(r) >= 30, timeout_s=60)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=15)
        took = time.monotonic() - started
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code == 0
    assert took < 10
    # Everything it finished was committed: the live group has nothing left to redo.
    from services.ops.status import pipeline_status

    status = {s.stage: s for s in await pipeline_status(settings, sample_s=0.1)}
    assert status["normalize"].lag == 0
    assert (await plan_replay(settings, Stage.NORMALIZE)).total == 30
