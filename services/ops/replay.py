"""Replay / backfill: re-run a stage over a range of its input topic under a fresh consumer group.

The stage's own app runs in this process with a replay window (see ``shared.replay``):
records outside the range are acknowledged unprocessed, output goes to the stage's
usual output topic, and publish's content-hash check turns unchanged stories into
no-ops, so a replay never duplicates a delivery. The replay group commits as it goes,
so re-running the same command continues where an interrupted one stopped.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from faststream import FastStream

from services.ops.topic_reader import committed_offsets, high_watermarks
from shared.codec import JSON_HEADERS, encode
from shared.contracts import EnrichedStory
from shared.db import create_engine
from shared.settings import ReplayWindow, Settings
from shared.topics import Stage


@dataclass(frozen=True)
class ReplayPlan:
    """What a replay will process."""

    stage: Stage
    topic: str
    group: str
    window: ReplayWindow
    notes: tuple[str, ...]

    @property
    def total(self) -> int:
        """Records in the offset range (with a timestamp scan: records that will be looked at)."""
        return sum(max(0, self.window.end.get(p, 0) - s) for p, s in self.window.start.items())


async def _timestamp_at(consumer: AIOKafkaConsumer, tp: TopicPartition, offset: int) -> int | None:
    consumer.seek(tp, offset)
    batch = await consumer.getmany(tp, timeout_ms=2000, max_records=1)
    records = batch.get(tp, [])
    return records[0].timestamp if records else None


async def offsets_for_time(bootstrap: str, topic: str, marks: dict[int, int], at: datetime) -> dict[int, int] | None:
    """First offset at or after ``at`` per partition via ``offsets_for_times``, or None if the broker gets it wrong.

    The answer is checked against the records themselves: the embedded broker returns
    offset 0 for any time, which would silently replay everything. ``marks`` are the
    partitions' high-water marks: the answer for a partition with nothing that late.
    """
    ts = int(at.timestamp() * 1000)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(marks)]
        consumer.assign(tps)
        found = await consumer.offsets_for_times(dict.fromkeys(tps, ts))
        result: dict[int, int] = {}
        for tp in tps:
            hit = found.get(tp)
            offset = hit.offset if hit is not None else marks.get(tp.partition, 0)
            if hit is not None:
                own = await _timestamp_at(consumer, tp, offset)
                before = await _timestamp_at(consumer, tp, offset - 1) if offset > 0 else None
                if own is None or own < ts or (before is not None and before >= ts):
                    return None
            result[tp.partition] = offset
        return result
    finally:
        await consumer.stop()


async def plan_replay(
    settings: Settings,
    stage: Stage,
    *,
    from_offset: int | None = None,
    to_offset: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    name: str | None = None,
) -> ReplayPlan:
    """Work out the offset range per partition (and whether time bounds need a scan)."""
    bootstrap = settings.kafka.bootstrap_servers or ""
    topic = settings.kafka.topics.input_of(stage)
    marks = await high_watermarks(bootstrap, topic)
    start = {p: min(max(0, from_offset or 0), high) for p, high in marks.items()}
    end = {p: min(high, to_offset) if to_offset is not None else high for p, high in marks.items()}
    notes: list[str] = []
    for bound, label in ((since, "since"), (until, "until")):
        if bound is None:
            continue
        offsets = await offsets_for_time(bootstrap, topic, marks, bound)
        if offsets is None:
            notes.append(f"--{label}: this broker's offsets_for_times is unreliable (embedded broker?); "
                         "scanning record timestamps instead")
        elif label == "since":
            start = {p: max(start[p], offsets[p]) for p in start}
        else:
            end = {p: min(end[p], offsets[p]) for p in end}
    spec = f"{stage}|{from_offset}|{to_offset}|{since}|{until}"
    name = name or f"{stage}-{hashlib.sha256(spec.encode()).hexdigest()[:10]}"
    window = ReplayWindow(name=name, start=start, end=end, since=since, until=until)
    group = f"{settings.kafka.topics.group_of(stage)}.replay.{name}"
    return ReplayPlan(stage=stage, topic=topic, group=group, window=window, notes=tuple(notes))


async def replay_progress(settings: Settings, plan: ReplayPlan) -> int:
    """Records of the range the replay group has committed past."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap_servers or "")
    await admin.start()
    try:
        offsets = await committed_offsets(admin, plan.group, plan.topic, sorted(plan.window.start))
    finally:
        await admin.close()
    return sum(
        max(0, min(offset, plan.window.end.get(partition, 0)) - plan.window.start[partition])
        for partition, offset in offsets.items()
    )


async def run_replay(
    settings: Settings, plan: ReplayPlan, *, stop: asyncio.Event, on_progress: Callable[[int, int], None]
) -> bool:
    """Run the stage over the plan until it is done (True) or ``stop`` is set (False)."""
    factory: Callable[[Settings], FastStream] = importlib.import_module(f"services.{plan.stage}.app").create_app
    app = factory(settings.model_copy(update={"replay": plan.window}))
    total = plan.total
    async with app:
        while True:
            done = await replay_progress(settings, plan)
            on_progress(done, total)
            if done >= total:
                return True
            try:
                await asyncio.wait_for(stop.wait(), timeout=0.5)
            except TimeoutError:
                continue
            return False


_progress_metadata = sa.MetaData()
archive_progress = sa.Table(
    "replay_archive_progress",
    _progress_metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("done", sa.Integer, nullable=False),
)
"""How far a named archive replay got, so re-running it continues instead of starting over."""


def archive_target(settings: Settings, stage: Stage) -> tuple[str, Callable[[EnrichedStory], Any]]:
    """Topic and message to re-emit for ``stage``: its input, rebuilt from the archived enriched story."""
    topics = settings.kafka.topics
    if stage == Stage.ENRICH:
        return topics.normalized, lambda enriched: enriched.story
    if stage == Stage.PUBLISH:
        return topics.enriched, lambda enriched: enriched
    raise ValueError(f"the archive keeps enriched stories, not the raw input {stage} needs")


async def replay_from_archive(
    settings: Settings,
    stage: Stage,
    *,
    since: datetime | None,
    until: datetime | None,
    name: str,
    stop: asyncio.Event,
    on_progress: Callable[[int, int], None],
) -> bool:
    """Re-emit archived stories archived in [since, until) into ``stage``'s input topic; True when all were sent.

    For ranges older than the topics still hold. The live group processes them;
    publish turns unchanged stories into no-ops, so nothing is delivered twice.
    """
    from services.publish.archive import Archive

    topic, message_of = archive_target(settings, stage)
    engine = create_engine(settings.database)
    archive = Archive(engine, settings.database.schema_name)
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka.bootstrap_servers or "", acks="all")
    try:
        stories = await archive.archived_inputs(since=since, until=until)
        async with engine.begin() as conn:
            await conn.run_sync(_progress_metadata.create_all)
            query = sa.select(archive_progress.c.done).where(archive_progress.c.name == name)
            row = (await conn.execute(query)).first()
        done = row[0] if row else 0
        on_progress(done, len(stories))
        await producer.start()
        for index in range(done, len(stories)):
            if stop.is_set():
                return False
            message = message_of(stories[index])
            await producer.send_and_wait(topic, encode(message), key=message.story_id.encode(),
                                         headers=[(k, v.encode()) for k, v in JSON_HEADERS.items()])
            async with engine.begin() as conn:
                await conn.execute(archive_progress.delete().where(archive_progress.c.name == name))
                await conn.execute(archive_progress.insert().values(name=name, done=index + 1))
            on_progress(index + 1, len(stories))
        return True
    finally:
        await producer.stop()
        await engine.dispose()
