"""The ``newswire`` command line: run the pipeline, the embedded broker, and the stages' tools."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from services.publish.admin import subscribers_app
from shared.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Newswire: wire copy in, clean stories out.")

app.add_typer(subscribers_app, name="subscribers")


@app.command()
def run(
    samples: Annotated[bool, typer.Option(help="Feed the bundled sample wire.")] = True,
    once: Annotated[bool, typer.Option(help="Exit once every sample is published.")] = False,
    workdir: Annotated[Path, typer.Option(help="Inbox, archive and logs of this run.")] = Path("var/dev"),
) -> None:
    """Run the whole pipeline (embedded broker unless a cluster is configured) until Ctrl-C."""
    from services.devrun import run as run_pipeline

    raise typer.Exit(run_pipeline(Settings(), workdir=workdir, samples=samples, once=once))


@app.command()
def broker(port: Annotated[int, typer.Option(help="Port to listen on.")] = 9092) -> None:
    """Run the embedded Kafka-protocol broker (Tansu, memory-only) in the foreground."""
    import signal

    from shared.embedded import EmbeddedBroker

    settings = Settings()
    emb = EmbeddedBroker(settings.embedded.model_copy(update={"port": port}))
    emb.start(quiet=False)
    typer.echo(f"embedded broker listening on {emb.bootstrap_servers}; Ctrl-C stops it")
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        signal.sigwait(stop_signals)
    finally:
        emb.stop()


@app.command()
def topics() -> None:
    """Declare every topic with its partition count on the configured cluster."""
    from shared.broker import ensure_topics

    for name, count in asyncio.run(ensure_topics(Settings().kafka)).items():
        typer.echo(f"{name}\t{count} partitions")


@app.command()
def normalize(
    files: Annotated[list[Path], typer.Argument(help="Pages or wire files to normalize.")],
    input_format: Annotated[
        str | None, typer.Option("--format", help="Force html or text instead of sniffing the content.")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="JSON lines (the default and only output).")] = True,
) -> None:
    """Print one normalized story (or error) per file as a JSON line, all files in one process."""
    import orjson

    from services.normalize.cli import normalize_paths
    from services.normalize.sniff import InputFormat

    forced = InputFormat(input_format) if input_format else None
    failed = False
    for doc in normalize_paths(files, force_format=forced, max_bytes=Settings().normalize.max_input_bytes):
        failed |= "error" in doc
        sys.stdout.write(orjson.dumps(doc).decode() + "\n")
    raise typer.Exit(1 if failed else 0)


@app.command()
def enrich(
    source: Annotated[
        str, typer.Argument(help="Normalized story JSON or JSON lines (`newswire normalize`); - for stdin.")
    ],
    database: Annotated[
        str | None, typer.Option(help="Database URL holding near-duplicate state; default: this run only.")
    ] = None,
) -> None:
    """Print one enriched story (or error) per normalized story as a JSON line."""
    import orjson

    from services.enrich.cli import enrich_documents

    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    failed = False
    for doc in enrich_documents(data, database_url=database):
        failed |= "error" in doc
        sys.stdout.write(orjson.dumps(doc).decode() + "\n")
    raise typer.Exit(1 if failed else 0)


@app.command("normalize-eval")
def normalize_eval(
    directory: Annotated[Path, typer.Argument(help="Pages with gold bodies (article-extraction-benchmark layout).")],
    compare_trafilatura: Annotated[bool, typer.Option(help="Also score trafilatura and print the ratio.")] = True,
    worst: Annotated[int, typer.Option(help="List the N worst pages.")] = 0,
) -> None:
    """Score body extraction (token precision/recall/F1) and speed on a directory of pages."""
    from services.normalize.evaluate import run as evaluate

    for line in evaluate(directory, compare_trafilatura=compare_trafilatura, worst=worst):
        typer.echo(line)


@app.command("config-table")
def config_table() -> None:
    """Print the README's configuration table, generated from the settings models."""
    from shared.settings_doc import settings_table

    typer.echo(settings_table())


@app.command()
def asyncapi(
    out: Annotated[Path, typer.Option(help="Where to write the document.")] = Path("docs/asyncapi.json"),
) -> None:
    """Regenerate the AsyncAPI document of every channel from the contracts."""
    from services.asyncapi_doc import write_spec

    typer.echo(f"wrote {write_spec(out)}")


def _add_ops_commands() -> None:
    from services.ops.cli import dlq_app, replay, status

    app.add_typer(dlq_app, name="dlq")
    app.command("status")(status)
    app.command("replay")(replay)


_add_ops_commands()


def _add_ingest_commands() -> None:
    # services.ingest.cli imports only typer at module level; httpx and the DB load inside each command.
    from services.ingest.cli import push, sources_app

    app.add_typer(sources_app, name="sources")
    app.command("push")(push)


_add_ingest_commands()


def main() -> None:
    """Entry point of the ``newswire`` script."""
    app()


if __name__ == "__main__":
    main()
