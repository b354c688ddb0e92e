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

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from faststream import FastStream

from services.ops.topic_reader import high_watermarks
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


async def offsets_for_time(bootstrap: str, topic: str, partitions: list[int], at: datetime) -> dict[int, int] | None:
    """First offset at or after ``at`` per partition via ``offsets_for_times``, or None if the broker gets it wrong.

    The answer is checked against the records themselves: the embedded broker returns
    offset 0 for any time, which would silently replay everything.
    """
    ts = int(at.timestamp() * 1000)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(tps)
        found = await consumer.offsets_for_times(dict.fromkeys(tps, ts))
        marks = await high_watermarks(bootstrap, topic)
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
        offsets = await offsets_for_time(bootstrap, topic, sorted(marks), bound)
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
    parts = sorted(plan.window.start)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap_servers or "")
    await admin.start()
    try:
        # Partitions named explicitly (the embedded broker mis-answers the all-partitions form).
        offsets = await admin.list_consumer_group_offsets(
            plan.group, partitions=[TopicPartition(plan.topic, p) for p in parts]
        )
    finally:
        await admin.close()
    done = 0
    for tp, meta in offsets.items():
        start, end = plan.window.start[tp.partition], plan.window.end.get(tp.partition, 0)
        done += max(0, min(meta.offset, end) - start) if meta.offset >= 0 else 0
    return done


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
