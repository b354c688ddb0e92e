"""The operator commands: ``newswire dlq list|show|redrive`` and ``newswire status``."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from shared.settings import Settings
from shared.topics import Stage

if TYPE_CHECKING:
    from services.ops.dlq import LetterFilter

console = Console()

DEV_BOOTSTRAP_FILE = Path("var/dev/bootstrap")
"""Written by `newswire run`: the address of its embedded broker."""


def ops_settings() -> Settings:
    """Settings for operator commands: the configured cluster, else the running `make run`'s broker."""
    settings = Settings()
    if settings.kafka.bootstrap_servers:
        return settings
    if DEV_BOOTSTRAP_FILE.is_file():
        bootstrap = DEV_BOOTSTRAP_FILE.read_text().strip()
        update: dict[str, object] = {"kafka": settings.kafka.model_copy(update={"bootstrap_servers": bootstrap})}
        if "NEWSWIRE_DATABASE__URL" not in os.environ:
            # ...and its archive, which the dev runner keeps beside the broker address.
            url = f"sqlite:///{DEV_BOOTSTRAP_FILE.parent / 'newswire.db'}"
            update["database"] = settings.database.model_copy(update={"url": url})
        return settings.model_copy(update=update)
    console.print("no broker: set NEWSWIRE_KAFKA__BOOTSTRAP_SERVERS, or start `make run` in this directory")
    raise typer.Exit(2)


dlq_app = typer.Typer(no_args_is_help=True, help="Inspect and redrive dead letters.")

StageOpt = Annotated[Stage | None, typer.Option("--stage", help="Only letters from this stage.")]
CodeOpt = Annotated[str | None, typer.Option("--code", help="Only letters with this error code.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="ISO time, or an age like 30m, 2h, 7d.")]


def parse_since(value: str | None, *, now: datetime) -> datetime | None:
    """Parse ``--since``: an ISO 8601 time (UTC if naive) or an age such as ``90m``, ``2h``, ``7d``."""
    if value is None:
        return None
    age = re.fullmatch(r"(\d+)([smhd])", value.strip())
    if age:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[age.group(2)]
        return now - timedelta(**{unit: int(age.group(1))})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"--since {value!r}: use an ISO time or an age like 2h") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _filter(stage: Stage | None, code: str | None, since: str | None, ids: list[str] | None = None) -> LetterFilter:
    from services.ops.dlq import LetterFilter

    return LetterFilter(stage=stage, code=code, since=parse_since(since, now=datetime.now(UTC)),
                        ids=frozenset(ids or ()))


@dlq_app.command("list")
def dlq_list(stage: StageOpt = None, code: CodeOpt = None, since: SinceOpt = None,
             json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False) -> None:
    """List dead letters, oldest first."""
    from services.ops.dlq import read_letters

    letters = asyncio.run(read_letters(ops_settings(), _filter(stage, code, since)))
    if json:
        for item in letters:
            doc = item.letter.model_dump(mode="json", exclude={"original"})
            typer.echo(orjson.dumps({"id": item.id, **doc}).decode())
        return
    table = Table("id", "failed at", "stage", "code", "attempts", "story", "error")
    for item in letters:
        letter = item.letter
        table.add_row(item.id, f"{letter.failed_at:%Y-%m-%d %H:%M:%S}", str(letter.stage), letter.error_code,
                      str(letter.attempts), letter.story_id or "", letter.error_message[:60])
    console.print(table)
    console.print(f"{len(letters)} dead letter(s)")


@dlq_app.command("show")
def dlq_show(letter_id: Annotated[str, typer.Argument(help="Letter id from `dlq list` (partition-offset).")]) -> None:
    """Show one dead letter, with its original bytes decoded as text where possible."""
    from services.ops.dlq import read_letters

    letters = asyncio.run(read_letters(ops_settings(), _filter(None, None, None, [letter_id])))
    if not letters:
        console.print(f"no dead letter {letter_id}")
        raise typer.Exit(1)
    letter = letters[0].letter
    doc = letter.model_dump(mode="json", exclude={"original"})
    doc["original_text"] = letter.original.decode("utf-8", "replace")
    typer.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())


@dlq_app.command("redrive")
def dlq_redrive(stage: StageOpt = None, code: CodeOpt = None, since: SinceOpt = None,
                ids: Annotated[list[str] | None, typer.Option("--id", help="Only these letter ids.")] = None,
                dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent.")] = False,
                again: Annotated[bool, typer.Option("--again", help="Also letters redriven before.")] = False) -> None:
    """Re-submit matching letters to their input topics (each letter once, unless --again)."""
    from services.ops.dlq import read_letters, redrive

    settings = ops_settings()
    letters = asyncio.run(read_letters(settings, _filter(stage, code, since, ids)))
    sent = asyncio.run(redrive(settings, letters, now=datetime.now(UTC), dry_run=dry_run, again=again))
    verb = "would redrive" if dry_run else "redrove"
    for item, topic in sent:
        console.print(f"{verb} {item.id} ({item.letter.error_code}) -> {topic}")
    console.print(f"{verb} {len(sent)} of {len(letters)} matching letter(s)")


def status(json: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
           sample: Annotated[float, typer.Option(help="Seconds over which messages/s is measured.")] = 1.0) -> None:
    """Per stage: consumer group, lag per partition, messages/s, dead letters by code, last error."""
    from services.ops.status import pipeline_status

    stages = asyncio.run(pipeline_status(ops_settings(), sample_s=sample))
    if json:
        typer.echo(orjson.dumps([s.as_dict() for s in stages], option=orjson.OPT_INDENT_2).decode())
        return
    table = Table("stage", "group", "lag", "lag by partition", "msg/s", "dead letters", "last error")
    for s in stages:
        parts = " ".join(f"{p.partition}:{p.lag}" for p in s.partitions)
        letters = ", ".join(f"{code}={n}" for code, n in s.dead_letters.items()) or "-"
        table.add_row(s.stage, s.group, str(s.lag), parts, f"{s.messages_per_s:g}", letters, s.last_error or "-")
    console.print(table)


def replay(
    stage: Annotated[Stage, typer.Option("--stage", help="Stage to re-run: normalize, enrich or publish.")],
    from_offset: Annotated[int | None, typer.Option(help="First offset (every partition).")] = None,
    to_offset: Annotated[int | None, typer.Option(help="Stop before this offset (every partition).")] = None,
    since: SinceOpt = None,
    until: Annotated[str | None, typer.Option("--until", help="ISO time or age: records before it.")] = None,
    name: Annotated[str | None, typer.Option(help="Replay name; the same name resumes a stopped replay.")] = None,
    from_archive: Annotated[bool, typer.Option(
        "--from-archive", help="Re-emit stories archived in the time range (for ranges the topic no longer holds).")
    ] = False,
) -> None:
    """Re-run a stage over a range of its input topic under a fresh consumer group (Ctrl-C stops; re-run resumes)."""
    import signal

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from services.ops.replay import plan_replay, replay_from_archive, run_replay

    if stage == Stage.INGEST:
        raise typer.BadParameter("ingest reads no topic; replay normalize, enrich or publish")
    settings = ops_settings()
    if "NEWSWIRE_LOG__LEVEL" not in os.environ:
        # The stage runs in this process: keep its per-story lines out of the progress display.
        settings = settings.model_copy(update={"log": settings.log.model_copy(update={"level": "WARNING"})})
        logging.getLogger("faststream").setLevel(logging.WARNING)
    now = datetime.now(UTC)

    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} msg/s"), TimeRemainingColumn())

    async def from_the_archive() -> bool:
        if stage == Stage.NORMALIZE:
            raise typer.BadParameter("the archive keeps enriched stories: --from-archive replays enrich or publish")
        label = name or f"archive-{stage}-{since}-{until}"
        console.print(f"replay {label}: re-emitting archived stories into {stage}'s input topic")
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"archive -> {stage}", total=None, rate="-")

            def show(done: int, total: int) -> None:
                speed = progress.tasks[task].speed
                progress.update(task, completed=done, total=total, rate=f"{speed:.0f}" if speed else "-")

            return await replay_from_archive(settings, stage, since=parse_since(since, now=now),
                                             until=parse_since(until, now=now), name=label, stop=stop,
                                             on_progress=show)

    async def main() -> bool:
        if from_archive:
            return await from_the_archive()
        plan = await plan_replay(settings, stage, from_offset=from_offset, to_offset=to_offset,
                                 since=parse_since(since, now=now), until=parse_since(until, now=now), name=name)
        for note in plan.notes:
            console.print(f"[yellow]note:[/] {note}")
        console.print(f"replay {plan.window.name}: {plan.topic} -> group {plan.group}, {plan.total} record(s)")
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"replay {stage}", total=plan.total, rate="-")

            def show(done: int, total: int) -> None:
                speed = progress.tasks[task].speed
                progress.update(task, completed=done, total=total, rate=f"{speed:.0f}" if speed else "-")

            return await run_replay(settings, plan, stop=stop, on_progress=show)

    finished = asyncio.run(main())
    if not finished:
        console.print("stopped; run the same command again to continue where it stopped")
        raise typer.Exit(130)
    console.print("replay complete")
