"""Dead-letter tools: list and show letters, and redrive them to their stage's input topic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from services.ops.topic_reader import read_topic
from shared.codec import decode
from shared.contracts import DeadLetter
from shared.db import create_engine
from shared.errors import ErrorCode, PermanentError
from shared.failure import ATTEMPTS_HEADER, REDRIVE_HEADER
from shared.settings import Settings
from shared.topics import Stage

_metadata = sa.MetaData()
redrives = sa.Table(
    "dlq_redrives",
    _metadata,
    sa.Column("dlq_topic", sa.String(200), primary_key=True),
    sa.Column("letter_id", sa.String(40), primary_key=True),
    sa.Column("target_topic", sa.String(200), nullable=False),
    sa.Column("redriven_at", sa.DateTime(timezone=True), nullable=False),
)
"""Which letters were re-driven already: a second redrive of the same letter needs ``--again``."""


@dataclass(frozen=True, slots=True)
class Letter:
    """A dead letter with its id (``partition-offset`` in the DLQ topic)."""

    id: str
    letter: DeadLetter


@dataclass(frozen=True, slots=True)
class LetterFilter:
    """Which letters an operator means."""

    stage: Stage | None = None
    code: str | None = None
    since: datetime | None = None
    ids: frozenset[str] = frozenset()

    def matches(self, item: Letter) -> bool:
        """True when ``item`` passes every filter that is set."""
        letter = item.letter
        return (
            (self.stage is None or letter.stage == self.stage)
            and (self.code is None or letter.error_code == self.code)
            and (self.since is None or letter.failed_at >= self.since)
            and (not self.ids or item.id in self.ids)
        )


async def read_letters(settings: Settings, wanted: LetterFilter = LetterFilter()) -> list[Letter]:
    """Every dead letter matching ``wanted``, oldest first within each partition."""
    bootstrap = settings.kafka.bootstrap_servers or ""
    letters: list[Letter] = []
    async for record in read_topic(bootstrap, settings.kafka.topics.dlq):
        try:
            item = Letter(f"{record.partition}-{record.offset}", decode(DeadLetter, record.value))
        except PermanentError:
            continue  # not a dead letter (someone wrote junk to the DLQ): nothing to redrive
        if wanted.matches(item):
            letters.append(item)
    return sorted(letters, key=lambda item: item.letter.failed_at)


def input_topic_of(settings: Settings, letter: DeadLetter) -> str:
    """Where a letter goes back to: the topic it came from, else its stage's input topic."""
    return letter.source_topic or settings.kafka.topics.input_of(letter.stage)


async def _already_redriven(settings: Settings, ids: Iterable[str]) -> set[str]:
    engine = create_engine(settings.database)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_metadata.create_all)
            rows = await conn.execute(
                sa.select(redrives.c.letter_id).where(
                    redrives.c.dlq_topic == settings.kafka.topics.dlq, redrives.c.letter_id.in_(list(ids))
                )
            )
            return {row[0] for row in rows}
    finally:
        await engine.dispose()


async def redrive(
    settings: Settings, letters: list[Letter], *, now: datetime, dry_run: bool = False, again: bool = False
) -> list[tuple[Letter, str]]:
    """Re-submit each letter's original bytes to its input topic; return what was (or would be) sent where.

    The attempts used so far travel in a header, so a message that fails again
    comes back to the DLQ with its attempts added up rather than looping unnoticed.
    """
    done = set() if again else await _already_redriven(settings, (item.id for item in letters))
    todo = [(item, input_topic_of(settings, item.letter)) for item in letters if item.id not in done]
    if dry_run or not todo:
        return todo
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka.bootstrap_servers or "", acks="all")
    engine = create_engine(settings.database)
    await producer.start()
    try:
        for item, topic in todo:
            letter = item.letter
            headers = [(k, v.encode()) for k, v in letter.original_headers.items()]
            headers += [(ATTEMPTS_HEADER, str(letter.attempts).encode()), (REDRIVE_HEADER, item.id.encode())]
            key = letter.story_id.encode() if letter.story_id else None
            await producer.send_and_wait(topic, letter.original, key=key, headers=headers)
            async with engine.begin() as conn:
                await conn.run_sync(_metadata.create_all)
                mine = (redrives.c.dlq_topic == settings.kafka.topics.dlq) & (redrives.c.letter_id == item.id)
                await conn.execute(redrives.delete().where(mine))  # --again replaces the earlier record
                await conn.execute(
                    redrives.insert().values(dlq_topic=settings.kafka.topics.dlq, letter_id=item.id,
                                             target_topic=topic, redriven_at=now)
                )
    finally:
        await producer.stop()
        await engine.dispose()
    return todo


def counts_by_code(letters: Iterable[Letter]) -> dict[tuple[str, str], int]:
    """Dead letters per (stage, error code)."""
    counts: dict[tuple[str, str], int] = {}
    for item in letters:
        key = (str(item.letter.stage), item.letter.error_code)
        counts[key] = counts.get(key, 0) + 1
    return counts


__all__ = ["ErrorCode", "Letter", "LetterFilter", "counts_by_code", "read_letters", "redrive"]
