"""Pipeline status: per stage, its consumer group's lag per partition, throughput and dead letters."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field

from aiokafka.admin import AIOKafkaAdminClient

from services.ops.dlq import counts_by_code, read_letters
from services.ops.topic_reader import committed_offsets, high_watermarks
from shared.settings import Settings
from shared.topics import Stage

CONSUMING_STAGES = (Stage.NORMALIZE, Stage.ENRICH, Stage.PUBLISH)


@dataclass
class PartitionLag:
    """Committed offset, high-water mark and lag of one partition."""

    partition: int
    committed: int | None
    high: int
    lag: int


@dataclass
class StageStatus:
    """What an operator wants to know about one stage."""

    stage: str
    group: str
    topic: str
    partitions: list[PartitionLag] = field(default_factory=list)
    lag: int = 0
    messages_per_s: float = 0.0
    dead_letters: dict[str, int] = field(default_factory=dict)
    last_error: str | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return asdict(self)


async def pipeline_status(settings: Settings, *, sample_s: float = 1.0) -> list[StageStatus]:
    """Lag per partition (from fetched high-water marks), messages/s over ``sample_s``, DLQ counts per stage."""
    topics = settings.kafka.topics
    bootstrap = settings.kafka.bootstrap_servers or ""
    groups = {stage: topics.group_of(stage) for stage in CONSUMING_STAGES}
    marks = {stage: await high_watermarks(bootstrap, topics.input_of(stage)) for stage in CONSUMING_STAGES}

    async def committed_all() -> dict[Stage, dict[int, int]]:
        return {
            stage: await committed_offsets(admin, groups[stage], topics.input_of(stage), sorted(marks[stage]))
            for stage in CONSUMING_STAGES
        }

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        before = await committed_all()
        started = time.monotonic()
        await asyncio.sleep(sample_s)  # the sampling window of the messages/s figure
        after = await committed_all()
        elapsed = time.monotonic() - started
    finally:
        await admin.close()
    letters = await read_letters(settings)
    result = []
    for stage in CONSUMING_STAGES:
        topic = topics.input_of(stage)
        status = StageStatus(stage=str(stage), group=groups[stage], topic=topic)
        for partition, high in sorted(marks[stage].items()):
            committed = after[stage].get(partition)
            lag = high - (committed or 0)
            status.partitions.append(PartitionLag(partition, committed, high, lag))
            status.lag += lag
        moved = sum(after[stage].values()) - sum(before[stage].values())
        status.messages_per_s = round(moved / elapsed, 1) if elapsed > 0 else 0.0
        mine = [item for item in letters if item.letter.stage == stage]
        status.dead_letters = {code: n for (_, code), n in counts_by_code(mine).items()}
        if mine:
            last = mine[-1].letter
            status.last_error = f"{last.failed_at:%Y-%m-%d %H:%M:%S} {last.error_code}: {last.error_message[:120]}"
        result.append(status)
    return result
