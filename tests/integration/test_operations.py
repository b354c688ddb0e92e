"""Dead-letter redrive and pipeline status on a real broker."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.normalize.app import create_app as normalize_app
from services.ops.dlq import LetterFilter, read_letters, redrive
from services.ops.status import pipeline_status
from shared.broker import ensure_topics
from shared.codec import decode, encode
from shared.contracts import NormalizedStory
from shared.errors import ErrorCode
from shared.settings import NormalizeSettings, Settings
from shared.topics import Stage
from tests.support.factories import raw_item
from tests.support.kafka import collect, produce

pytestmark = pytest.mark.integration

NOW = datetime(2026, 5, 4, 13, 0, tzinfo=UTC)


async def test_redrive_after_a_fix_completes_and_a_failing_redrive_adds_up_attempts(settings: Settings) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    strict = settings.model_copy(update={"normalize": NormalizeSettings(max_input_bytes=100)})
    big = raw_item(1, extra=" It was a long meeting." * 10)
    async with normalize_app(strict):
        await produce(bootstrap, topics.raw, [(big.story_id.encode(), encode(big))])
        first = await collect(bootstrap, topics.dlq, until=lambda r: len(r) >= 1)
        letters = await read_letters(settings, LetterFilter(stage=Stage.NORMALIZE))
        assert [item.letter.error_code for item in letters] == [ErrorCode.INPUT_TOO_LARGE]
        # Redriven before the fix: it fails again and comes back with its attempts added up.
        await redrive(settings, letters, now=NOW)
        again = await collect(bootstrap, topics.dlq, until=lambda r: len(r) >= 2)
    assert len(first) == 1
    letters = await read_letters(settings)
    assert [(item.letter.attempts, item.letter.redrive_of) for item in letters] == [
        (1, None), (2, letters[0].id)
    ]
    assert len(again) == 2
    # A letter is redriven once unless asked again.
    assert await redrive(settings, letters[:1], now=NOW, dry_run=True) == []
    # Fixed (the limit raised): redriving the newest letter completes the story.
    async with normalize_app(settings):
        sent = await redrive(settings, letters[1:], now=NOW)
        assert len(sent) == 1
        done = await collect(bootstrap, topics.normalized, until=lambda r: len(r) >= 1)
    assert decode(NormalizedStory, done[0].value).headline.startswith("Council approves budget number 1")


async def test_status_shows_lag_going_to_zero_and_dead_letters_by_code(settings: Settings) -> None:
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    await ensure_topics(settings.kafka)
    items = [raw_item(n) for n in range(12)]
    await produce(bootstrap, topics.raw, [(i.story_id.encode(), encode(i)) for i in items])
    await produce(bootstrap, topics.raw, [(b"bad", b"not json")])
    before = {s.stage: s for s in await pipeline_status(settings, sample_s=0.1)}
    assert before["normalize"].lag == 13
    async with normalize_app(settings):
        await collect(bootstrap, topics.normalized, until=lambda r: len(r) >= 12)

        async def lag() -> int:
            return {s.stage: s for s in await pipeline_status(settings, sample_s=0.1)}["normalize"].lag

        lags = [await lag()]
        for _ in range(50):  # bounded: each status call takes ~0.2 s
            if lags[-1] == 0:
                break
            lags.append(await lag())
    after = {s.stage: s for s in await pipeline_status(settings, sample_s=0.1)}
    assert after["normalize"].lag == 0
    assert sum(p.high for p in after["normalize"].partitions) == 13
    assert after["normalize"].dead_letters == {ErrorCode.MALFORMED_MESSAGE: 1}
    assert after["normalize"].last_error is not None
    assert after["enrich"].lag == 12  # nothing consumes normalized in this test


async def test_ops_endpoints_report_health_readiness_and_metrics(settings: Settings) -> None:
    import httpx

    from shared.embedded import free_port
    from shared.settings import OpsSettings

    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    port = free_port()
    observed = settings.model_copy(update={"ops": OpsSettings(port=port)})
    items = [raw_item(n) for n in range(3)]
    async with normalize_app(observed), httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        await produce(bootstrap, topics.raw, [(i.story_id.encode(), encode(i)) for i in items])
        await produce(bootstrap, topics.raw, [(b"bad", b"not json")])
        await collect(bootstrap, topics.dlq, until=lambda r: len(r) >= 1)
        assert (await http.get("/healthz")).json()["status"] == "ok"
        ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text
        metrics = (await http.get("/metrics")).text
    assert f'newswire_messages_in_total{{stage="normalize",topic="{topics.raw}"}} 4.0' in metrics
    assert f'newswire_messages_out_total{{stage="normalize",topic="{topics.normalized}"}} 3.0' in metrics
    assert 'newswire_errors_total{code="malformed_message",stage="normalize"} 1.0' in metrics
    assert 'newswire_end_to_end_seconds_count{stage="normalize"} 3.0' in metrics
    assert "newswire_handler_seconds_bucket" in metrics
    assert "newswire_consumer_lag" in metrics


async def test_publish_is_ready_only_with_broker_and_archive(settings: Settings) -> None:
    import httpx

    from services.publish.app import create_app as publish_app
    from shared.embedded import free_port
    from shared.settings import OpsSettings

    port = free_port()
    observed = settings.model_copy(update={"ops": OpsSettings(port=port)})
    async with publish_app(observed), httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"ready": True, "failing": []}
